// The administrator's operations through the real SDK, signed with (any) IAM credentials as on AWS:
// AdminCreateUser and the NEW_PASSWORD_REQUIRED sign-in it leads to, AdminGetUser, ListUsers with
// Cognito's filters, AdminSetUserPassword, AdminConfirmSignUp, AdminDeleteUser; unsigned calls and
// another pool's id refused.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  AdminConfirmSignUpCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  ListUsersCommand,
  RespondToAuthChallengeCommand,
} from '@aws-sdk/client-cognito-identity-provider'
import type { CodeDelivery } from '../emulator/cognito/code-delivery.ts'
import { clientError, cognitoFixture, failure } from './cognito-fixture.ts'

const day = 24 * 3600_000

async function adminFixture(t: { after: (fn: () => unknown) => void }, cognito: { autoConfirm?: boolean } = {}) {
  const codes: CodeDelivery[] = []
  let now = Date.now()
  const fixture = await cognitoFixture(t, { cognito: { ...cognito, onCode: (d: CodeDelivery) => void codes.push(d), now: () => now } })
  const admin = new CognitoIdentityProviderClient({ endpoint: fixture.emu.cognito.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 })
  t.after(() => admin.destroy())
  return { ...fixture, admin, codes, pool: fixture.emu.cognito.userPoolId, advance: (ms: number) => void (now += ms) }
}

test('AdminCreateUser: a temporary password (delivered), then NEW_PASSWORD_REQUIRED at sign-in, which takes a new password that follows the policy', async (t) => {
  const { admin, client, clientId, codes, pool, signIn } = await adminFixture(t)
  const created = await admin.send(new AdminCreateUserCommand({ UserPoolId: pool, Username: 'adm-ann', UserAttributes: [{ Name: 'email', Value: 'adm-ann@example.test' }, { Name: 'email_verified', Value: 'true' }] }))
  assert.equal(created.User?.UserStatus, 'FORCE_CHANGE_PASSWORD')
  const [delivery] = codes
  assert.deepEqual([delivery.purpose, delivery.username], ['AdminCreateUser', 'adm-ann'])

  const challenge = await signIn('adm-ann', delivery.code)
  assert.equal(challenge.ChallengeName, 'NEW_PASSWORD_REQUIRED')
  assert.deepEqual(JSON.parse(challenge.ChallengeParameters!.requiredAttributes!), [])
  const respond = (password: string) =>
    client.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: challenge.Session, ChallengeResponses: { USERNAME: 'adm-ann', NEW_PASSWORD: password } }))
  assert.equal((await failure(respond('short'))).name, 'InvalidPasswordException')
  assert.ok((await respond('Chosen-by-ann-42')).AuthenticationResult?.IdToken)
  assert.ok((await signIn('adm-ann', 'Chosen-by-ann-42')).AuthenticationResult, 'the new password signs in')
  const got = await admin.send(new AdminGetUserCommand({ UserPoolId: pool, Username: 'adm-ann' }))
  assert.equal(got.UserStatus, 'CONFIRMED')
  assert.deepEqual(Object.fromEntries(got.UserAttributes!.map((a) => [a.Name, a.Value])).email_verified, 'true')
})

test('a required attribute the administrator left out is asked for with the new password', async (t) => {
  const { admin, client, clientId, codes, pool, signIn } = await adminFixture(t)
  await admin.send(new AdminCreateUserCommand({ UserPoolId: pool, Username: 'adm-ben', TemporaryPassword: 'Temporary-pass-1' }))
  assert.equal(codes.length, 1)
  const challenge = await signIn('adm-ben', 'Temporary-pass-1')
  assert.deepEqual(JSON.parse(challenge.ChallengeParameters!.requiredAttributes!), ['userAttributes.email'])
  const respond = (extra: Record<string, string>) =>
    client.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: challenge.Session, ChallengeResponses: { USERNAME: 'adm-ben', NEW_PASSWORD: 'Chosen-by-ben-42', ...extra } }))
  assert.match((await failure(respond({}))).message, /email: The attribute is required/)
  assert.ok((await respond({ 'userAttributes.email': 'adm-ben@example.test' })).AuthenticationResult)
})

test('a temporary password expires after the policy’s days; AdminCreateUser RESEND gives a new one', async (t) => {
  const { admin, codes, pool, signIn, advance } = await adminFixture(t)
  await admin.send(new AdminCreateUserCommand({ UserPoolId: pool, Username: 'adm-cyd', MessageAction: 'SUPPRESS', TemporaryPassword: 'Temporary-pass-2', UserAttributes: [{ Name: 'email', Value: 'adm-cyd@example.test' }] }))
  assert.equal(codes.length, 0, 'SUPPRESS sends nothing')
  advance(3 * day + 1000)
  assert.deepEqual(await failure(signIn('adm-cyd', 'Temporary-pass-2')), clientError('NotAuthorizedException', 'Temporary password has expired and must be reset by an administrator.'))
  await admin.send(new AdminCreateUserCommand({ UserPoolId: pool, Username: 'adm-cyd', MessageAction: 'RESEND' }))
  assert.equal((await signIn('adm-cyd', codes[0].code)).ChallengeName, 'NEW_PASSWORD_REQUIRED')
})

test('ListUsers with Cognito filters and pages; AdminSetUserPassword; AdminDeleteUser', async (t) => {
  const { admin, pool, signUp, signIn } = await adminFixture(t)
  for (const name of ['lu-ann', 'lu-ben', 'other-cal']) await signUp(name)
  const names = async (input: Record<string, unknown>) => ((await admin.send(new ListUsersCommand({ UserPoolId: pool, ...input }))).Users ?? []).map((u) => u.Username)
  assert.deepEqual(await names({}), ['lu-ann', 'lu-ben', 'other-cal'])
  assert.deepEqual(await names({ Filter: 'username ^= "lu-"' }), ['lu-ann', 'lu-ben'])
  assert.deepEqual(await names({ Filter: 'email = "other-cal@example.test"' }), ['other-cal'])
  assert.deepEqual(await names({ Filter: 'cognito:user_status = "CONFIRMED"' }), ['lu-ann', 'lu-ben', 'other-cal'])
  const first = await admin.send(new ListUsersCommand({ UserPoolId: pool, Limit: 2 }))
  assert.deepEqual(first.Users?.map((u) => u.Username), ['lu-ann', 'lu-ben'])
  assert.deepEqual(await names({ Limit: 2, PaginationToken: first.PaginationToken }), ['other-cal'])
  assert.deepEqual(await failure(admin.send(new ListUsersCommand({ UserPoolId: pool, Filter: 'password = "x"' }))), clientError('InvalidParameterException', 'Error while parsing filter.'))

  await admin.send(new AdminSetUserPasswordCommand({ UserPoolId: pool, Username: 'lu-ann', Password: 'Reset-by-admin-42', Permanent: true }))
  assert.ok((await signIn('lu-ann', 'Reset-by-admin-42')).AuthenticationResult)
  await admin.send(new AdminDeleteUserCommand({ UserPoolId: pool, Username: 'lu-ben' }))
  assert.deepEqual(await failure(admin.send(new AdminGetUserCommand({ UserPoolId: pool, Username: 'lu-ben' }))), clientError('UserNotFoundException', 'User does not exist.'))
  assert.equal((await failure(signIn('lu-ben'))).name, 'NotAuthorizedException')
})

test('AdminConfirmSignUp confirms an unconfirmed sign-up once; unsigned calls and another pool are refused', async (t) => {
  const { admin, emu, pool, signUp, signIn } = await adminFixture(t, { autoConfirm: false })
  await signUp('ac-dee')
  await admin.send(new AdminConfirmSignUpCommand({ UserPoolId: pool, Username: 'ac-dee' }))
  assert.ok((await signIn('ac-dee')).AuthenticationResult)
  assert.deepEqual(await failure(admin.send(new AdminConfirmSignUpCommand({ UserPoolId: pool, Username: 'ac-dee' }))), clientError('NotAuthorizedException', 'User cannot be confirmed. Current status is CONFIRMED'))
  assert.deepEqual(await failure(admin.send(new AdminGetUserCommand({ UserPoolId: 'us-east-1_Other', Username: 'ac-dee' }))), clientError('ResourceNotFoundException', 'User pool us-east-1_Other does not exist.'))
  // Unsigned, as a page could send it (the SDK itself refuses to send an admin call without credentials).
  const unsigned = await fetch(`${emu.cognito.endpoint}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityProviderService.AdminGetUser' },
    body: JSON.stringify({ UserPoolId: pool, Username: 'ac-dee' }),
  })
  assert.equal(unsigned.status, 403)
  assert.deepEqual(await unsigned.json(), { __type: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' })
})
