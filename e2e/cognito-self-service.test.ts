// What a signed-in (or locked-out) user does alone, through the real SDK against the local pool:
// ForgotPassword / ConfirmForgotPassword (the code handed to `onCode`), ChangePassword, GetUser,
// UpdateUserAttributes with an email change that waits for its code (VerifyUserAttribute,
// GetUserAttributeVerificationCode), and GlobalSignOut; each refusal with Cognito's error.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  ChangePasswordCommand,
  ConfirmForgotPasswordCommand,
  ForgotPasswordCommand,
  GetUserAttributeVerificationCodeCommand,
  GetUserCommand,
  GlobalSignOutCommand,
  UpdateUserAttributesCommand,
  VerifyUserAttributeCommand,
} from '@aws-sdk/client-cognito-identity-provider'
import type { CodeDelivery } from '../emulator/cognito/code-delivery.ts'
import { clientError, cognitoFixture, failure } from './cognito-fixture.ts'
import { passwordOf } from './users.ts'

const hour = 3600_000

async function selfFixture(t: { after: (fn: () => unknown) => void }) {
  const codes: CodeDelivery[] = []
  let now = Date.now()
  const fixture = await cognitoFixture(t, { cognito: { onCode: (d: CodeDelivery) => void codes.push(d), now: () => now } })
  const lastCode = (purpose: CodeDelivery['purpose'], username: string) => {
    const found = codes.findLast((d) => d.purpose === purpose && d.username === username)
    assert.ok(found, `a ${purpose} code for ${username}`)
    return found.code
  }
  return { ...fixture, codes, lastCode, advance: (ms: number) => void (now += ms) }
}

const wrongCode = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0')

test('ForgotPassword sends a code to the verified email; ConfirmForgotPassword with it sets a new password that signs in, and the old one no longer does', async (t) => {
  const { client, clientId, signUp, signIn, lastCode, advance } = await selfFixture(t)
  await signUp('fp-ann')
  const asked = await client.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'fp-ann' }))
  assert.deepEqual(asked.CodeDeliveryDetails, { AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: 'f***@e***' })
  const code = lastCode('ForgotPassword', 'fp-ann')
  const confirm = (c: string, password: string) => client.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: 'fp-ann', ConfirmationCode: c, Password: password }))
  const fresh = 'Fresh-pass-42!x'
  assert.deepEqual(await failure(confirm(wrongCode(code), fresh)), clientError('CodeMismatchException', 'Invalid verification code provided, please try again.'))
  assert.equal((await failure(confirm(code, 'short'))).name, 'InvalidPasswordException')
  await confirm(code, fresh)
  assert.ok((await signIn('fp-ann', fresh)).AuthenticationResult?.IdToken)
  assert.deepEqual(await failure(signIn('fp-ann')), clientError('NotAuthorizedException', 'Incorrect username or password.'))
  // A code is good once, and for an hour.
  assert.equal((await failure(confirm(code, 'Another-pass-42!'))).name, 'CodeMismatchException')
  await client.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'fp-ann@example.test' }))
  const late = lastCode('ForgotPassword', 'fp-ann')
  advance(hour + 1000)
  assert.deepEqual(await failure(confirm(late, 'Another-pass-42!')), clientError('ExpiredCodeException', 'Invalid code provided, please request a code again.'))
})

test('ForgotPassword: an unknown user looks like a known one; no verified email, and a temporary password, are refused as Cognito refuses them; wrong codes are limited', async (t) => {
  const { client, clientId, signUp, lastCode } = await selfFixture(t)
  const unknown = await client.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'fp-nobody' }))
  assert.equal(unknown.CodeDeliveryDetails?.DeliveryMedium, 'EMAIL')
  assert.equal((await failure(client.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: 'fp-nobody', ConfirmationCode: '123456', Password: 'Fresh-pass-42!x' })))).name, 'CodeMismatchException')
  assert.equal((await failure(client.send(new ForgotPasswordCommand({ ClientId: 'another', Username: 'fp-nobody' })))).name, 'ResourceNotFoundException')

  await signUp('fp-bob')
  await client.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'fp-bob' }))
  const code = lastCode('ForgotPassword', 'fp-bob')
  const guess = () => client.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: 'fp-bob', ConfirmationCode: wrongCode(code), Password: 'Fresh-pass-42!x' }))
  for (let i = 0; i < 5; i++) assert.equal((await failure(guess())).name, 'CodeMismatchException')
  assert.deepEqual(await failure(guess()), clientError('LimitExceededException', 'Attempt limit exceeded, please try after some time.'))
  // Even the right code, during the lockout.
  const right = client.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: 'fp-bob', ConfirmationCode: code, Password: 'Fresh-pass-42!x' }))
  assert.equal((await failure(right)).name, 'LimitExceededException')
})

test('ForgotPassword: the reset code goes to the verified email, not one waiting for its code; a user with no verified email is refused', async (t) => {
  const { client, clientId, signUp, signIn, lastCode } = await selfFixture(t)
  await signUp('fp-cat')
  const { AccessToken } = (await signIn('fp-cat')).AuthenticationResult!
  await client.send(new UpdateUserAttributesCommand({ AccessToken, UserAttributes: [{ Name: 'email', Value: 'other-cat@example.test' }] }))
  assert.ok(lastCode('VerifyUserAttribute', 'fp-cat'))
  const asked = await client.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'fp-cat' }))
  assert.equal(asked.CodeDeliveryDetails?.Destination, 'f***@e***')

  const unconfirmed = await cognitoFixture(t, { cognito: { autoConfirm: false, onCode: () => {} } })
  await unconfirmed.signUp('fp-dan')
  const refused = unconfirmed.client.send(new ForgotPasswordCommand({ ClientId: unconfirmed.clientId, Username: 'fp-dan' }))
  assert.deepEqual(await failure(refused), clientError('InvalidParameterException', 'Cannot reset password for the user as there is no registered/verified email or phone_number'))
})

test('ChangePassword: the current password and a new one to the policy; a wrong current one is refused and counts toward the lockout', async (t) => {
  const { client, signUp, signIn } = await selfFixture(t)
  await signUp('cp-ann')
  const { AccessToken } = (await signIn('cp-ann')).AuthenticationResult!
  const change = (previous: string, proposed: string) => client.send(new ChangePasswordCommand({ AccessToken, PreviousPassword: previous, ProposedPassword: proposed }))
  assert.deepEqual(await failure(change('Wrong-pass-42!x', 'Fresh-pass-42!x')), clientError('NotAuthorizedException', 'Incorrect username or password.'))
  assert.equal((await failure(change(passwordOf('cp-ann'), 'weak'))).name, 'InvalidPasswordException')
  await change(passwordOf('cp-ann'), 'Fresh-pass-42!x')
  assert.ok((await signIn('cp-ann', 'Fresh-pass-42!x')).AuthenticationResult)
  assert.equal((await failure(signIn('cp-ann'))).name, 'NotAuthorizedException')
  for (let i = 0; i < 5; i++) await failure(change('Wrong-pass-42!x', 'Other-pass-42!x'))
  assert.deepEqual(await failure(change('Fresh-pass-42!x', 'Other-pass-42!x')), clientError('LimitExceededException', 'Attempt limit exceeded, please try after some time.'))
  assert.deepEqual(await failure(client.send(new ChangePasswordCommand({ AccessToken: 'not-a-token', PreviousPassword: 'a', ProposedPassword: 'b' }))), clientError('NotAuthorizedException', 'Invalid Access Token'))
})

test('GetUser and UpdateUserAttributes: a new email waits for its code while the verified one stays (attribute, alias and ID token); VerifyUserAttribute swaps them', async (t) => {
  const { client, signUp, signIn, lastCode, refresh } = await selfFixture(t)
  await signUp('ua-ann')
  const first = (await signIn('ua-ann')).AuthenticationResult!
  const { AccessToken } = first
  const attributes = async () => Object.fromEntries(((await client.send(new GetUserCommand({ AccessToken }))).UserAttributes ?? []).map((a) => [a.Name, a.Value]))
  const before = await attributes()
  assert.deepEqual({ ...before, sub: typeof before.sub }, { sub: 'string', email: 'ua-ann@example.test', email_verified: 'true' })

  const update = (UserAttributes: { Name: string; Value: string }[]) => client.send(new UpdateUserAttributesCommand({ AccessToken, UserAttributes }))
  const updated = await update([{ Name: 'email', Value: 'ua-ann-2@example.test' }, { Name: 'nickname', Value: 'Annie' }])
  assert.deepEqual(updated.CodeDeliveryDetailsList, [{ AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: 'u***@e***' }])
  assert.deepEqual({ ...(await attributes()), sub: 'x' }, { sub: 'x', email: 'ua-ann@example.test', email_verified: 'true', nickname: 'Annie' })
  // The old address still signs in; the pending one does not yet.
  assert.ok((await signIn('ua-ann@example.test', passwordOf('ua-ann'))).AuthenticationResult)
  assert.equal((await failure(signIn('ua-ann-2@example.test'))).name, 'NotAuthorizedException')

  const verify = (Code: string) => client.send(new VerifyUserAttributeCommand({ AccessToken, AttributeName: 'email', Code }))
  const code = lastCode('VerifyUserAttribute', 'ua-ann')
  assert.deepEqual(await failure(verify(wrongCode(code))), clientError('CodeMismatchException', 'Invalid verification code provided, please try again.'))
  // A new code replaces the last.
  await client.send(new GetUserAttributeVerificationCodeCommand({ AccessToken, AttributeName: 'email' }))
  const second = lastCode('VerifyUserAttribute', 'ua-ann')
  if (second !== code) assert.equal((await failure(verify(code))).name, 'CodeMismatchException')
  await verify(second)
  assert.deepEqual({ ...(await attributes()), sub: 'x' }, { sub: 'x', email: 'ua-ann-2@example.test', email_verified: 'true', nickname: 'Annie' })
  assert.ok((await signIn('ua-ann-2@example.test', passwordOf('ua-ann'))).AuthenticationResult)
  const idClaims = JSON.parse(Buffer.from((await refresh(first.RefreshToken!)).AuthenticationResult!.IdToken!.split('.')[1], 'base64url').toString())
  assert.equal(idClaims.email, 'ua-ann-2@example.test')
  assert.equal(idClaims.nickname, 'Annie')
})

test('UpdateUserAttributes refuses what Cognito refuses: unknown and unwritable attributes, an emptied required one, a bad email, an email another user verified', async (t) => {
  const { client, signUp, signIn, lastCode } = await selfFixture(t)
  await signUp('ua-bob')
  await signUp('ua-cat')
  const { AccessToken } = (await signIn('ua-bob')).AuthenticationResult!
  const update = (Name: string, Value: string) => failure(client.send(new UpdateUserAttributesCommand({ AccessToken, UserAttributes: [{ Name, Value }] })))
  assert.deepEqual(await update('shoe_size', '9'), clientError('InvalidParameterException', 'Attributes did not conform to the schema: shoe_size: Attribute does not exist in the schema.\n'))
  assert.deepEqual(await update('custom:tier', 'gold'), clientError('InvalidParameterException', 'Attributes did not conform to the schema: custom:tier: Attribute does not exist in the schema.\n'))
  assert.deepEqual(await update('email_verified', 'true'), clientError('NotAuthorizedException', 'A client attempted to write unauthorized attribute'))
  assert.deepEqual(await update('sub', 'me'), clientError('NotAuthorizedException', 'A client attempted to write unauthorized attribute'))
  assert.deepEqual(await update('email', ''), clientError('InvalidParameterException', 'Attributes did not conform to the schema: email: The attribute is required\n'))
  assert.deepEqual(await update('email', 'not-an-address'), clientError('InvalidParameterException', 'Invalid email address format.'))
  // ua-cat's verified address can be asked for, but not verified: it is ua-cat's alias.
  await client.send(new UpdateUserAttributesCommand({ AccessToken, UserAttributes: [{ Name: 'email', Value: 'ua-cat@example.test' }] }))
  const verify = client.send(new VerifyUserAttributeCommand({ AccessToken, AttributeName: 'email', Code: lastCode('VerifyUserAttribute', 'ua-bob') }))
  assert.deepEqual(await failure(verify), clientError('AliasExistsException', 'An account with the given email already exists.'))
  assert.equal((await failure(client.send(new VerifyUserAttributeCommand({ AccessToken, AttributeName: 'phone_number', Code: '123456' })))).name, 'InvalidParameterException')
})

test('GlobalSignOut: every sign-in of the user stops refreshing and its access tokens stop working with Cognito; a later sign-in works', async (t) => {
  const { client, signUp, signIn, refresh } = await selfFixture(t)
  await signUp('gs-ann')
  const first = (await signIn('gs-ann')).AuthenticationResult!
  const second = (await signIn('gs-ann')).AuthenticationResult!
  await client.send(new GlobalSignOutCommand({ AccessToken: first.AccessToken }))
  for (const session of [first, second]) {
    assert.deepEqual(await failure(refresh(session.RefreshToken!)), clientError('NotAuthorizedException', 'Refresh Token has been revoked'))
  }
  assert.deepEqual(await failure(client.send(new GetUserCommand({ AccessToken: first.AccessToken }))), clientError('NotAuthorizedException', 'Access Token has been revoked'))
  // Cognito's `iat` is in whole seconds: a token of the second sign-in from the sign-out's own second may still pass (global-sign-out.ts).
  const later = (await signIn('gs-ann')).AuthenticationResult!
  assert.ok((await refresh(later.RefreshToken!)).AuthenticationResult?.IdToken)
  assert.equal((await client.send(new GetUserCommand({ AccessToken: later.AccessToken }))).Username, 'gs-ann')
})
