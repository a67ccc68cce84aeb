// The local Cognito enforces the declared user pool (src/user-pool.ts) as the deployed pool does, seen
// through the real `@aws-sdk/client-cognito-identity-provider`: the password policy, the required email,
// sign-in by username or verified email in any capitalisation, one account per email, token lifetimes,
// and the rules of other declarations (case-sensitive, no self sign-up, MFA required).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { decodeJwt } from 'jose'
import type { UserPoolDeclaration } from '../src/user-pool-declaration.ts'
import { userPool } from '../src/user-pool.ts'
import { startChatEmulator } from './chat-emulator.ts'
import { clientError, cognitoFixture as fixture, failure } from './cognito-fixture.ts'
import { connectAs, passwordOf } from './users.ts'
import { TestClient } from './ws-client.ts'

const declared = (changes: Partial<UserPoolDeclaration>): UserPoolDeclaration => ({ ...userPool, ...changes })
const incorrect = clientError('NotAuthorizedException', 'Incorrect username or password.')

test('a password weaker than the declared policy is refused with InvalidPasswordException; a conforming one signs up', async (t) => {
  const { signUp, signIn } = await fixture(t)
  // Long enough for Cognito's default policy (8), not for the declared one (12).
  assert.deepEqual(await failure(signUp('weak', 'Aa1-aaaa')), clientError('InvalidPasswordException', 'Password did not conform with policy: Password not long enough'))
  assert.equal((await signUp('strong', 'Aa1-aaaaaaaa')).UserConfirmed, true)
  assert.ok((await signIn('strong', 'Aa1-aaaaaaaa')).AuthenticationResult?.IdToken)
})

test('a sign-up without the required email, or with a malformed one, is InvalidParameterException with Cognito’s text', async (t) => {
  const { signUp, signIn } = await fixture(t)
  assert.deepEqual(await failure(signUp('no-mail', undefined, [])), clientError('InvalidParameterException', 'Attributes did not conform to the schema: email: The attribute is required\n'))
  assert.deepEqual(
    await failure(signUp('no-mail', undefined, [{ Name: 'name', Value: 'No Mail' }])),
    clientError('InvalidParameterException', 'Attributes did not conform to the schema: email: The attribute is required\n'),
  )
  assert.deepEqual(await failure(signUp('bad-mail', undefined, [{ Name: 'email', Value: 'not an address' }])), clientError('InvalidParameterException', 'Invalid email address format.'))
  assert.deepEqual(
    await failure(signUp('odd-attr', undefined, [{ Name: 'email', Value: 'odd@example.test' }, { Name: 'shoe_size', Value: '44' }])),
    clientError('InvalidParameterException', 'Attributes did not conform to the schema: shoe_size: Attribute does not exist in the schema.\n'),
  )
  // None of them was created.
  for (const name of ['no-mail', 'bad-mail', 'odd-attr']) assert.deepEqual(await failure(signIn(name)), incorrect)
})

test('with email as a sign-in alias a username may not look like an email address', async (t) => {
  const { signUp } = await fixture(t)
  assert.deepEqual(
    await failure(signUp('mallory@example.test')),
    clientError('InvalidParameterException', 'Username cannot be of email format, since user pool is configured for email alias.'),
  )
})

test('a user signs in with the verified email, in any capitalisation; tokens and chat messages carry the username', async (t) => {
  const { emu, signUp, signIn } = await fixture(t)
  const { UserSub: sub } = await signUp('Olivia', undefined, [{ Name: 'email', Value: 'Olivia.Smith@Example.test' }])
  let token = ''
  for (const name of ['Olivia.Smith@Example.test', 'olivia.smith@example.test', 'OLIVIA.SMITH@EXAMPLE.TEST']) {
    token = (await signIn(name, passwordOf('Olivia'))).AuthenticationResult!.IdToken!
    const id = decodeJwt(token)
    assert.deepEqual([id.sub, id['cognito:username'], id.email, id.email_verified], [sub, 'Olivia', 'Olivia.Smith@Example.test', true], name)
  }
  assert.deepEqual(await failure(signIn('olivia.smith@example.test', 'Wr0ng-password!')), incorrect)

  const olivia = await TestClient.connect(`${emu.url}?token=${encodeURIComponent(token)}`)
  const bob = await connectAs(emu, 'bob')
  t.after(() => Promise.all([olivia.close(), bob.close()]))
  olivia.send({ action: 'sendmessage', text: 'signed in by email' })
  const atBob = await bob.next((f) => f.type === 'message')
  assert.deepEqual([atBob.userId, atBob.username, atBob.text], [sub, 'Olivia', 'signed in by email'])
})

test('usernames are case-insensitive: one account, signed in as any capitalisation', async (t) => {
  const { signUp, signIn } = await fixture(t)
  const { UserSub: sub } = await signUp('Peter')
  assert.deepEqual(await failure(signUp('PETER', passwordOf('Peter'), [{ Name: 'email', Value: 'other@example.test' }])), clientError('UsernameExistsException', 'User already exists'))
  for (const name of ['Peter', 'peter', 'pEtEr']) {
    const id = decodeJwt((await signIn(name, passwordOf('Peter'))).AuthenticationResult!.IdToken!)
    assert.deepEqual([id.sub, id['cognito:username']], [sub, 'Peter'], name)
  }
})

test('an email already verified for one account is refused for another (AliasExistsException), in any capitalisation', async (t) => {
  const { signUp, signIn } = await fixture(t)
  await signUp('quinn', undefined, [{ Name: 'email', Value: 'shared@example.test' }])
  assert.deepEqual(
    await failure(signUp('rachel', undefined, [{ Name: 'email', Value: 'SHARED@example.test' }])),
    clientError('AliasExistsException', 'An account with the given email already exists.'),
  )
  assert.deepEqual(await failure(signIn('rachel')), incorrect)
  assert.equal(decodeJwt((await signIn('shared@example.test', passwordOf('quinn'))).AuthenticationResult!.IdToken!)['cognito:username'], 'quinn')
})

test('without auto-confirm: the email is no alias until the sign-up is confirmed, and confirming takes an alias only when forced', async (t) => {
  const codes = new Map<string, string>()
  const { signUp, signIn, confirm } = await fixture(t, { cognito: { autoConfirm: false, onCode: (d) => codes.set(d.username, d.code) } })
  await signUp('sam', undefined, [{ Name: 'email', Value: 'sam@example.test' }])
  assert.deepEqual(await failure(signIn('sam@example.test', passwordOf('sam'))), incorrect)
  await confirm('sam', codes.get('sam')!)
  const sam = decodeJwt((await signIn('sam@example.test', passwordOf('sam'))).AuthenticationResult!.IdToken!)
  assert.deepEqual([sam['cognito:username'], sam.email_verified], ['sam', true])

  // Another sign-up may name the same email; confirming it is what claims the alias.
  await signUp('tess', undefined, [{ Name: 'email', Value: 'sam@example.test' }])
  assert.deepEqual(await failure(confirm('tess', codes.get('tess')!)), clientError('AliasExistsException', 'An account with the given email already exists.'))
  assert.deepEqual(await failure(signIn('tess')), clientError('UserNotConfirmedException', 'User is not confirmed.'))
  await confirm('tess', codes.get('tess')!, true)
  assert.equal(decodeJwt((await signIn('sam@example.test', passwordOf('tess'))).AuthenticationResult!.IdToken!)['cognito:username'], 'tess')
  // sam keeps the account, and signs in by username; the email is no longer verified for it.
  assert.deepEqual(await failure(signIn('sam@example.test', passwordOf('sam'))), incorrect)
  assert.equal(decodeJwt((await signIn('sam')).AuthenticationResult!.IdToken!).email_verified, false)
})

test('tokens live as long as the declaration says', async (t) => {
  const { signUp, signIn, refresh } = await fixture(t, {
    userPool: declared({ client: { ...userPool.client, tokenValidity: { idTokenMinutes: 30, accessTokenMinutes: 15, refreshTokenDays: 1 } } }),
  })
  await signUp('uma')
  const result = (await signIn('uma')).AuthenticationResult!
  const id = decodeJwt(result.IdToken!)
  const access = decodeJwt(result.AccessToken!)
  assert.deepEqual([id.exp! - id.iat!, access.exp! - access.iat!, result.ExpiresIn], [1800, 900, 900])
  // The refresh token is opaque; its lifetime shows in what a refresh gives back.
  const refreshed = (await refresh(result.RefreshToken!)).AuthenticationResult!
  assert.equal(refreshed.ExpiresIn, 900)
})

test('another declaration, other rules: case-sensitive usernames, no email alias, no required email', async (t) => {
  const { signUp, signIn } = await fixture(t, {
    userPool: declared({ signInCaseSensitive: true, signInAliases: { username: true, email: false }, requiredAttributes: [] }),
  })
  await signUp('Victor', undefined, [])
  await signUp('victor', passwordOf('victor'), [{ Name: 'email', Value: 'victor@example.test' }])
  assert.equal(decodeJwt((await signIn('Victor')).AuthenticationResult!.IdToken!)['cognito:username'], 'Victor')
  assert.equal(decodeJwt((await signIn('victor')).AuthenticationResult!.IdToken!)['cognito:username'], 'victor')
  assert.deepEqual(await failure(signIn('VICTOR')), incorrect)
  assert.deepEqual(await failure(signIn('victor@example.test', passwordOf('victor'))), incorrect)
  // Without the alias, an email-shaped username is allowed.
  assert.equal((await signUp('wendy@example.test', passwordOf('wendy'), [])).UserConfirmed, true)
})

test('a pool without self sign-up refuses SignUp; one requiring MFA answers sign-in with the MFA set-up challenge', async (t) => {
  const closed = await fixture(t, { userPool: declared({ selfSignUp: false }) })
  assert.deepEqual(await failure(closed.signUp('xena')), clientError('NotAuthorizedException', 'SignUp is not permitted for this user pool'))

  const strict = await fixture(t, { userPool: declared({ mfa: 'REQUIRED' }) })
  await strict.signUp('yara')
  const answer = await strict.signIn('yara')
  assert.equal(answer.AuthenticationResult, undefined)
  assert.equal(answer.ChallengeName, 'MFA_SETUP')
  assert.deepEqual(answer.ChallengeParameters, { MFAS_CAN_SETUP: '["SOFTWARE_TOKEN_MFA"]' })
  assert.match(answer.Session ?? '', /^[\w-]{20,}$/)
  // The password is still checked first.
  assert.deepEqual(await failure(strict.signIn('yara', 'Wr0ng-password!')), incorrect)
})

test('a declaration Cognito would not deploy stops the emulator at start, naming every problem', async () => {
  const bad = declared({
    passwordPolicy: { ...userPool.passwordPolicy, minLength: 4 },
    requiredAttributes: ['email', 'shoe_size' as never],
    client: { ...userPool.client, tokenValidity: { idTokenMinutes: 2, accessTokenMinutes: 60, refreshTokenDays: 0 } },
  })
  await assert.rejects(startChatEmulator({ userPool: bad }), {
    message: [
      'The user pool declaration cannot be deployed:',
      '- passwordPolicy.minLength must be a whole number from 6 to 99',
      '- requiredAttributes: shoe_size is not a standard attribute',
      '- client.tokenValidity.idTokenMinutes must be a whole number from 5 to 1440',
      '- client.tokenValidity.refreshTokenDays must be a whole number from 1 to 3650',
    ].join('\n'),
  })
})
