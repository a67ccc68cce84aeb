// A pool that declares custom attributes and groups (the chat's own declares neither), through the real
// SDK: custom attributes at sign-up and after, checked against their declaration; the administrator's
// group operations; and both in the tokens, verified with aws-jwt-verify against the local JWKS.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  AdminAddUserToGroupCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  CognitoIdentityProviderClient,
  GetGroupCommand,
  ListGroupsCommand,
  ListUsersInGroupCommand,
  UpdateUserAttributesCommand,
} from '@aws-sdk/client-cognito-identity-provider'
import { JwtRsaVerifier } from 'aws-jwt-verify'
import { SimpleJwksCache } from 'aws-jwt-verify/jwk'
import { userPool } from '../src/user-pool.ts'
import type { UserPoolDeclaration } from '../src/user-pool-declaration.ts'
import { clientError, cognitoFixture, failure } from './cognito-fixture.ts'
import { emailOf } from './users.ts'

const poolWithGroups: UserPoolDeclaration = {
  ...userPool,
  customAttributes: {
    tier: { type: 'String', mutable: true, min: 1, max: 10 },
    level: { type: 'Number', mutable: false, min: 0, max: 99 },
  },
  groups: {
    members: { description: 'Everyone who chats', precedence: 5 },
    moderators: { description: 'May remove messages', precedence: 1 },
    guests: {},
  },
}

async function groupsFixture(t: { after: (fn: () => unknown) => void }) {
  const fixture = await cognitoFixture(t, { userPool: poolWithGroups })
  const admin = new CognitoIdentityProviderClient({ endpoint: fixture.emu.cognito.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 })
  t.after(() => admin.destroy())
  const UserPoolId = fixture.emu.cognito.userPoolId
  const signUpWith = (username: string, custom: Record<string, string>) =>
    fixture.signUp(username, undefined, [{ Name: 'email', Value: emailOf(username) }, ...Object.entries(custom).map(([Name, Value]) => ({ Name, Value }))])
  return { ...fixture, admin, UserPoolId, signUpWith }
}

// The library's own fetcher speaks HTTPS only; the local JWKS is served over HTTP.
const httpJwks = () => new SimpleJwksCache({ fetcher: { fetch: async (uri: string) => (await fetch(uri)).arrayBuffer() } })

test('custom attributes and groups are claims: custom:* in the ID token, cognito:groups (by precedence) in both tokens, as aws-jwt-verify reads them', async (t) => {
  const { emu, clientId, admin, UserPoolId, signUpWith, signIn, refresh } = await groupsFixture(t)
  await signUpWith('gr-ann', { 'custom:tier': 'gold', 'custom:level': '7' })
  for (const GroupName of ['members', 'moderators']) await admin.send(new AdminAddUserToGroupCommand({ UserPoolId, Username: 'gr-ann', GroupName }))
  // Adding twice changes nothing.
  await admin.send(new AdminAddUserToGroupCommand({ UserPoolId, Username: 'gr-ann', GroupName: 'members' }))
  const tokens = (await signIn('gr-ann')).AuthenticationResult!
  const { issuer } = emu.cognito
  const verifier = (tokenUse: 'id' | 'access') =>
    JwtRsaVerifier.create({ issuer, jwksUri: `${issuer}/.well-known/jwks.json`, audience: tokenUse === 'id' ? clientId : null, customJwtCheck: ({ payload }) => assert.equal(payload.token_use, tokenUse) }, { jwksCache: httpJwks() })
  const id = await verifier('id').verify(tokens.IdToken!)
  const access = await verifier('access').verify(tokens.AccessToken!)
  assert.deepEqual([id['custom:tier'], id['custom:level']], ['gold', '7'])
  assert.deepEqual(id['cognito:groups'], ['moderators', 'members'])
  assert.deepEqual(access['cognito:groups'], ['moderators', 'members'])
  assert.equal(access['custom:tier'], undefined)

  // A refresh sees the membership as it is now.
  await admin.send(new AdminRemoveUserFromGroupCommand({ UserPoolId, Username: 'gr-ann', GroupName: 'moderators' }))
  const refreshed = await verifier('id').verify((await refresh(tokens.RefreshToken!)).AuthenticationResult!.IdToken!)
  assert.deepEqual(refreshed['cognito:groups'], ['members'])
  await admin.send(new AdminRemoveUserFromGroupCommand({ UserPoolId, Username: 'gr-ann', GroupName: 'members' }))
  const none = await verifier('id').verify((await refresh(tokens.RefreshToken!)).AuthenticationResult!.IdToken!)
  assert.equal('cognito:groups' in none, false, 'no groups: no claim, as Cognito leaves it out')
})

test('custom attributes are checked against their declaration at sign-up and on update; an immutable one cannot change', async (t) => {
  const { client, signUpWith, signIn } = await groupsFixture(t)
  const prefix = 'Attributes did not conform to the schema: '
  assert.deepEqual(await failure(signUpWith('gr-bad', { 'custom:level': '100' })), clientError('InvalidParameterException', `${prefix}custom:level: Number must be from 0 to 99.\n`))
  assert.deepEqual(await failure(signUpWith('gr-bad', { 'custom:level': 'high' })), clientError('InvalidParameterException', `${prefix}custom:level: Number must be a whole number.\n`))
  assert.deepEqual(await failure(signUpWith('gr-bad', { 'custom:tier': 'platinum-plus' })), clientError('InvalidParameterException', `${prefix}custom:tier: String must be 1 to 10 characters long.\n`))
  assert.deepEqual(await failure(signUpWith('gr-bad', { 'custom:color': 'red' })), clientError('InvalidParameterException', `${prefix}custom:color: Attribute does not exist in the schema.\n`))

  await signUpWith('gr-bob', { 'custom:tier': 'silver', 'custom:level': '3' })
  const { AccessToken } = (await signIn('gr-bob')).AuthenticationResult!
  const update = (Name: string, Value: string) => client.send(new UpdateUserAttributesCommand({ AccessToken, UserAttributes: [{ Name, Value }] }))
  assert.deepEqual(await failure(update('custom:level', '4')), clientError('InvalidParameterException', `${prefix}custom:level: Attribute cannot be updated. (changing an immutable attribute)\n`))
  assert.deepEqual(await failure(update('custom:tier', '')), clientError('InvalidParameterException', `${prefix}custom:tier: String must be 1 to 10 characters long.\n`))
  await update('custom:tier', 'gold')
  const id = JSON.parse(Buffer.from((await signIn('gr-bob')).AuthenticationResult!.IdToken!.split('.')[1], 'base64url').toString())
  assert.deepEqual([id['custom:tier'], id['custom:level']], ['gold', '3'])
})

test("the administrator's group operations: list, get, members, a user's groups in precedence order; an undeclared group is not found", async (t) => {
  const { admin, UserPoolId, signUpWith } = await groupsFixture(t)
  for (const name of ['gr-cat', 'gr-dan', 'gr-eve']) await signUpWith(name, {})
  for (const Username of ['gr-cat', 'gr-dan']) await admin.send(new AdminAddUserToGroupCommand({ UserPoolId, Username, GroupName: 'members' }))
  await admin.send(new AdminAddUserToGroupCommand({ UserPoolId, Username: 'gr-cat', GroupName: 'guests' }))
  await admin.send(new AdminAddUserToGroupCommand({ UserPoolId, Username: 'gr-cat', GroupName: 'moderators' }))

  const groups = await admin.send(new ListGroupsCommand({ UserPoolId }))
  assert.deepEqual(groups.Groups?.map((g) => [g.GroupName, g.Precedence, g.Description]), [
    ['members', 5, 'Everyone who chats'],
    ['moderators', 1, 'May remove messages'],
    ['guests', undefined, undefined],
  ])
  const firstPage = await admin.send(new ListGroupsCommand({ UserPoolId, Limit: 2 }))
  const secondPage = await admin.send(new ListGroupsCommand({ UserPoolId, Limit: 2, NextToken: firstPage.NextToken }))
  assert.deepEqual([...firstPage.Groups!, ...secondPage.Groups!].map((g) => g.GroupName), ['members', 'moderators', 'guests'])
  assert.equal(secondPage.NextToken, undefined)

  assert.equal((await admin.send(new GetGroupCommand({ UserPoolId, GroupName: 'moderators' }))).Group?.UserPoolId, UserPoolId)
  const members = await admin.send(new ListUsersInGroupCommand({ UserPoolId, GroupName: 'members' }))
  assert.deepEqual(members.Users?.map((u) => u.Username), ['gr-cat', 'gr-dan'])
  const ofCat = await admin.send(new AdminListGroupsForUserCommand({ UserPoolId, Username: 'gr-cat' }))
  assert.deepEqual(ofCat.Groups?.map((g) => g.GroupName), ['moderators', 'members', 'guests'])

  const notFound = clientError('ResourceNotFoundException', 'Group not found.')
  assert.deepEqual(await failure(admin.send(new AdminAddUserToGroupCommand({ UserPoolId, Username: 'gr-eve', GroupName: 'admins' }))), notFound)
  assert.deepEqual(await failure(admin.send(new GetGroupCommand({ UserPoolId, GroupName: 'admins' }))), notFound)
  assert.equal((await failure(admin.send(new AdminAddUserToGroupCommand({ UserPoolId, Username: 'gr-nobody', GroupName: 'members' })))).name, 'UserNotFoundException')
})
