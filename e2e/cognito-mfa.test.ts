// TOTP MFA through the real Cognito SDK client, with codes from an independent TOTP library (otpauth):
// turning an authenticator on when MFA is optional, the SOFTWARE_TOKEN_MFA sign-in, and the MFA_SETUP
// path a pool that requires MFA sends every new user down.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  AssociateSoftwareTokenCommand,
  RespondToAuthChallengeCommand,
  SetUserMFAPreferenceCommand,
  VerifySoftwareTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider'
import { Secret, TOTP } from 'otpauth'
import { userPool } from '../src/user-pool.ts'
import { clientError, cognitoFixture, failure } from './cognito-fixture.ts'

const codeAt = (secret: string, offsetSteps = 0, at = Date.now()) => new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: at + offsetSteps * 30_000 })

test('MFA optional: an authenticator turned on from a session, then sign-in asks for its code; a wrong or reused code is refused, the session stays good', async (t) => {
  const { client, clientId, signUp, signIn } = await cognitoFixture(t)
  await signUp('mfa-ann')
  const first = await signIn('mfa-ann')
  const accessToken = first.AuthenticationResult!.AccessToken!

  const { SecretCode: secret } = await client.send(new AssociateSoftwareTokenCommand({ AccessToken: accessToken }))
  assert.match(secret!, /^[A-Z2-7]{32}$/)
  const wrong = codeAt(secret!) === '000000' ? '111111' : '000000'
  assert.deepEqual(
    await failure(client.send(new VerifySoftwareTokenCommand({ AccessToken: accessToken, UserCode: wrong }))),
    clientError('EnableSoftwareTokenMFAException', 'Code mismatch and fail enable Software Token MFA'),
  )
  const verifiedAt = Date.now()
  assert.equal((await client.send(new VerifySoftwareTokenCommand({ AccessToken: accessToken, UserCode: codeAt(secret!, 0, verifiedAt), FriendlyDeviceName: 'phone' }))).Status, 'SUCCESS')
  // Verified but not on yet: sign-in still needs no code.
  assert.ok((await signIn('mfa-ann')).AuthenticationResult)
  await client.send(new SetUserMFAPreferenceCommand({ AccessToken: accessToken, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }))

  const challenged = await signIn('mfa-ann')
  assert.equal(challenged.ChallengeName, 'SOFTWARE_TOKEN_MFA')
  const answer = (code: string, session = challenged.Session) =>
    client.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'SOFTWARE_TOKEN_MFA', Session: session, ChallengeResponses: { USERNAME: 'mfa-ann', SOFTWARE_TOKEN_MFA_CODE: code } }))
  assert.deepEqual(await failure(answer(wrong)), clientError('CodeMismatchException', 'Invalid code received for user'))
  // The step VerifySoftwareToken used is spent; the next one (the window allows one ahead) signs in.
  assert.deepEqual(await failure(answer(codeAt(secret!, 0, verifiedAt))), clientError('CodeMismatchException', 'Invalid code received for user'))
  const done = await answer(codeAt(secret!, 1, verifiedAt))
  assert.ok(done.AuthenticationResult?.IdToken)
  assert.deepEqual(await failure(answer(codeAt(secret!, 1, verifiedAt), 'not-a-session')), clientError('NotAuthorizedException', 'Invalid session for the user, session is expired.'))
})

test('MFA required: sign-in answers MFA_SETUP; associate and verify with its Session, answer MFA_SETUP, and the next sign-in asks for a code', async (t) => {
  const { client, clientId, signUp, signIn } = await cognitoFixture(t, { userPool: { ...userPool, mfa: 'REQUIRED' } })
  await signUp('mfa-ben')
  const setup = await signIn('mfa-ben')
  assert.equal(setup.ChallengeName, 'MFA_SETUP')
  assert.deepEqual(setup.ChallengeParameters, { MFAS_CAN_SETUP: '["SOFTWARE_TOKEN_MFA"]' })
  // The MFA_SETUP session cannot be used to skip the set-up.
  assert.deepEqual(
    await failure(client.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'MFA_SETUP', Session: setup.Session, ChallengeResponses: { USERNAME: 'mfa-ben' } }))),
    clientError('InvalidParameterException', 'Verify the software token (VerifySoftwareToken) with this Session first'),
  )
  const associated = await client.send(new AssociateSoftwareTokenCommand({ Session: setup.Session }))
  const verified = await client.send(new VerifySoftwareTokenCommand({ Session: associated.Session, UserCode: codeAt(associated.SecretCode!) }))
  assert.equal(verified.Status, 'SUCCESS')
  const done = await client.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'MFA_SETUP', Session: verified.Session, ChallengeResponses: { USERNAME: 'mfa-ben' } }))
  assert.ok(done.AuthenticationResult?.IdToken)
  // A SOFTWARE_TOKEN_MFA session is no MFA_SETUP session, and the other way round.
  const next = await signIn('mfa-ben')
  assert.equal(next.ChallengeName, 'SOFTWARE_TOKEN_MFA')
  assert.deepEqual(
    await failure(client.send(new AssociateSoftwareTokenCommand({ Session: next.Session }))),
    clientError('NotAuthorizedException', 'Invalid session for the user, session is expired.'),
  )
  // With MFA required, the only authenticator stays on.
  assert.deepEqual(
    await failure(client.send(new SetUserMFAPreferenceCommand({ AccessToken: done.AuthenticationResult!.AccessToken, SoftwareTokenMfaSettings: { Enabled: false } }))),
    clientError('InvalidParameterException', 'Cannot disable the only MFA method of a user in a pool that requires MFA'),
  )
})
