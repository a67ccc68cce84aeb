// The pool's Lambda triggers, declared in the user-pool declaration and run in the emulator's sandboxes
// (e2e/fixtures/cognito-triggers/triggers.ts records each event it gets in the table): PreSignUp
// confirms, verifies or refuses; PostConfirmation after a confirmed sign-up and a password reset;
// PreTokenGeneration (version 1) changes ID-token claims and groups. Failures are Cognito's errors,
// and a declaration infra could not deploy is refused at start.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ConfirmForgotPasswordCommand, ForgotPasswordCommand } from '@aws-sdk/client-cognito-identity-provider'
import { GetCommand } from '@aws-sdk/lib-dynamodb'
import { api } from '../src/api.ts'
import type { ApiDeclaration } from '../src/api-declaration.ts'
import { userPool } from '../src/user-pool.ts'
import { apiWithTriggers, poolWithTriggers, trigger } from './fixtures/cognito-triggers/declaration.ts'
import type { CodeDelivery } from '../emulator/cognito/code-delivery.ts'
import { startChatEmulator } from './chat-emulator.ts'
import { clientError, cognitoFixture, failure } from './cognito-fixture.ts'
import { emailOf } from './users.ts'

async function triggersFixture(t: { after: (fn: () => unknown) => void }) {
  const codes: CodeDelivery[] = []
  const fixture = await cognitoFixture(t, { api: apiWithTriggers, userPool: poolWithTriggers, cognito: { autoConfirm: false, onCode: (d: CodeDelivery) => void codes.push(d) } })
  /** The event the trigger recorded for this user and source. */
  const eventOf = async (username: string, source: string) => {
    const { Item } = await fixture.emu.db.send(new GetCommand({ TableName: 'chat', Key: { pk: `TRIGGER#${username}`, sk: source } }))
    return Item ? JSON.parse(Item.event as string) : undefined
  }
  const codeOf = (username: string, purpose: CodeDelivery['purpose']) => codes.findLast((d) => d.username === username && d.purpose === purpose)!.code
  return { ...fixture, eventOf, codeOf }
}

const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString())

test("PreSignUp gets Cognito's event and may confirm and verify the user; PostConfirmation then runs", async (t) => {
  const { emu, clientId, client, signIn, eventOf } = await triggersFixture(t)
  const { SignUpCommand } = await import('@aws-sdk/client-cognito-identity-provider')
  const signedUp = await client.send(
    new SignUpCommand({ ClientId: clientId, Username: 'auto-ann', Password: 'Pw-right-7x-chat', UserAttributes: [{ Name: 'email', Value: emailOf('auto-ann') }], ValidationData: [{ Name: 'invite', Value: 'abc' }] }),
  )
  assert.equal(signedUp.UserConfirmed, true)
  const event = await eventOf('auto-ann', 'PreSignUp_SignUp')
  assert.deepEqual(event, {
    version: '1',
    triggerSource: 'PreSignUp_SignUp',
    region: emu.cognito.region,
    userPoolId: emu.cognito.userPoolId,
    userName: 'auto-ann',
    callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId },
    request: { userAttributes: { email: emailOf('auto-ann') }, validationData: { invite: 'abc' }, clientMetadata: {} },
    // What Cognito sends for the function to fill in (it answered true, true).
    response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
  })
  const confirmed = await eventOf('auto-ann', 'PostConfirmation_ConfirmSignUp')
  assert.deepEqual(confirmed.request.userAttributes, { sub: signedUp.UserSub, email: emailOf('auto-ann'), email_verified: 'true', 'cognito:user_status': 'CONFIRMED' })
  assert.ok((await signIn('auto-ann', 'Pw-right-7x-chat')).AuthenticationResult?.IdToken)
  // The triggers ran as invocations: logged and metered under their function.
  assert.ok(emu.invocations.some((e) => e.routeKey === 'PreSignUp_SignUp' && e.function === 'preSignUp' && e.status === 'ok'))
})

test('without auto-confirmation the code confirms the user, and PostConfirmation runs then; its failure is the caller’s error but the user stays confirmed', async (t) => {
  const { signUp, confirm, signIn, eventOf, codeOf } = await triggersFixture(t)
  assert.equal((await signUp('plain-bob')).UserConfirmed, false)
  assert.equal(await eventOf('plain-bob', 'PostConfirmation_ConfirmSignUp'), undefined)
  await confirm('plain-bob', codeOf('plain-bob', 'SignUp'))
  assert.equal((await eventOf('plain-bob', 'PostConfirmation_ConfirmSignUp')).userName, 'plain-bob')

  await signUp('failpost-cat')
  assert.deepEqual(await failure(confirm('failpost-cat', codeOf('failpost-cat', 'SignUp'))), clientError('UserLambdaValidationException', 'PostConfirmation failed with error welcome message failed.'))
  assert.ok((await signIn('failpost-cat')).AuthenticationResult)
})

test("a trigger's error, a return that is no event, and a trigger past Cognito's 5 seconds are refused as Cognito refuses them; nothing is created", async (t) => {
  const { signUp } = await triggersFixture(t)
  const refused = clientError('UserLambdaValidationException', 'PreSignUp failed with error this name is reserved.')
  assert.deepEqual(await failure(signUp('blocked-dan')), refused)
  // Not created: the same sign-up is refused the same way, not as an existing user.
  assert.deepEqual(await failure(signUp('blocked-dan')), refused)
  assert.deepEqual(await failure(signUp('badout-eve')), clientError('InvalidLambdaResponseException', 'Unrecognizable lambda output'))
  assert.deepEqual(await failure(signUp('slow-fay')), clientError('UnexpectedLambdaException', 'PreSignUp invocation failed due to error Socket timeout while invoking Lambda function.'))
})

test('PreTokenGeneration changes the ID token (added, overridden and suppressed claims, groups) at sign-in and refresh; reserved claims are refused', async (t) => {
  const { signUp, confirm, signIn, refresh, eventOf, codeOf } = await triggersFixture(t)
  for (const name of ['tok-gus', 'grp-hal', 'reserved-ivy']) {
    await signUp(name)
    await confirm(name, codeOf(name, 'SignUp'))
  }
  const tokens = (await signIn('tok-gus')).AuthenticationResult!
  const id = claimsOf(tokens.IdToken!)
  assert.deepEqual([id.plan, id.nickname, 'email' in id, id.email_verified, id['cognito:username']], ['free', 'from-trigger', false, true, 'tok-gus'])
  const access = claimsOf(tokens.AccessToken!)
  assert.equal(access.plan, undefined, 'version 1 changes the ID token only')
  const event = await eventOf('tok-gus', 'TokenGeneration_Authentication')
  assert.deepEqual(event.request.groupConfiguration, { groupsToOverride: [], iamRolesToOverride: [], preferredRole: null })
  assert.equal(event.request.userAttributes.email, emailOf('tok-gus'))

  assert.equal(claimsOf((await refresh(tokens.RefreshToken!)).AuthenticationResult!.IdToken!).plan, 'free')
  assert.ok(await eventOf('tok-gus', 'TokenGeneration_RefreshTokens'))

  const grouped = (await signIn('grp-hal')).AuthenticationResult!
  assert.deepEqual(claimsOf(grouped.IdToken!)['cognito:groups'], ['members'])
  assert.deepEqual(claimsOf(grouped.AccessToken!)['cognito:groups'], ['members'])

  assert.deepEqual(await failure(signIn('reserved-ivy')), clientError('InvalidLambdaResponseException', 'Unrecognizable lambda output'))
})

test('a password reset runs PostConfirmation with PostConfirmation_ConfirmForgotPassword', async (t) => {
  const { client, clientId, signUp, confirm, eventOf, codeOf } = await triggersFixture(t)
  await signUp('reset-jo')
  await confirm('reset-jo', codeOf('reset-jo', 'SignUp'))
  await client.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'reset-jo' }))
  await client.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: 'reset-jo', ConfirmationCode: codeOf('reset-jo', 'ForgotPassword'), Password: 'Fresh-pass-42!x' }))
  assert.equal((await eventOf('reset-jo', 'PostConfirmation_ConfirmForgotPassword')).request.userAttributes['cognito:user_status'], 'CONFIRMED')
})

test('a declaration the stack could not deploy is refused at start: a trigger naming no function, or one reading the pool from its environment', async () => {
  await assert.rejects(startChatEmulator({ api, userPool: { ...userPool, triggers: { preSignUp: 'nowhere' } } }), /trigger preSignUp names function nowhere, which the API declaration does not declare/)
  const reading: ApiDeclaration = { ...api, functions: { ...api.functions, preSignUp: { ...trigger('preSignUp'), environment: { POOL: { from: 'userPoolId' } } } } }
  await assert.rejects(startChatEmulator({ api: reading, userPool: { ...userPool, triggers: { preSignUp: 'preSignUp' } } }), /cannot read POOL from the pool \(a circular dependency/)
})
