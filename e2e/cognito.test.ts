// The local Cognito user pool through the real `@aws-sdk/client-cognito-identity-provider`, pointed at
// the emulator with nothing but `endpoint` and `region`: the operations the page uses, Cognito's
// errors, and tokens with Cognito's claims, verifiable against the served JWKS.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider'
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose'
import { userPool } from '../src/user-pool.ts'
import { startChatEmulator } from './chat-emulator.ts'
import { clientError, cognitoFixture as fixture, failure } from './cognito-fixture.ts'

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

test('sign up, then sign in with USER_PASSWORD_AUTH: Cognito-shaped answers', async (t) => {
  const { signUp, signIn } = await fixture(t)
  const signedUp = await signUp('alice')
  assert.equal(signedUp.UserConfirmed, true)
  assert.match(signedUp.UserSub ?? '', uuid)
  assert.equal(signedUp.CodeDeliveryDetails, undefined)

  const signedIn = await signIn('alice')
  assert.deepEqual(signedIn.ChallengeParameters, {})
  const result = signedIn.AuthenticationResult!
  assert.deepEqual(Object.keys(result).sort(), ['AccessToken', 'ExpiresIn', 'IdToken', 'RefreshToken', 'TokenType'])
  assert.equal(result.ExpiresIn, 3600)
  assert.equal(result.TokenType, 'Bearer')
  // Refresh tokens are opaque: encrypted, five parts, nothing readable.
  assert.equal(result.RefreshToken!.split('.').length, 5)
})

test('tokens carry Cognito claims and verify against the JWKS at the issuer', async (t) => {
  const { emu, clientId, signUp, signIn } = await fixture(t)
  const { UserSub: sub } = await signUp('carol')
  const { AuthenticationResult: result } = await signIn('carol')
  const { issuer } = emu.cognito
  assert.match(emu.cognito.userPoolId, /^us-east-1_[A-Za-z0-9]{9}$/)
  assert.match(clientId, /^[a-z0-9]{26}$/)
  assert.equal(issuer, `${emu.httpUrl}/${emu.cognito.userPoolId}`)

  const jwks = createRemoteJWKSet(new URL(`${issuer}/.well-known/jwks.json`))
  const id = await jwtVerify(result!.IdToken!, jwks, { issuer, audience: clientId, algorithms: ['RS256'] })
  const access = await jwtVerify(result!.AccessToken!, jwks, { issuer, algorithms: ['RS256'] })
  assert.deepEqual(Object.keys(id.protectedHeader).sort(), ['alg', 'kid'])

  const { iat, exp, auth_time: authTime, jti, origin_jti: originJti, event_id: eventId, ...idRest } = id.payload
  assert.deepEqual(idRest, { sub, email: 'carol@example.test', email_verified: true, 'cognito:username': 'carol', aud: clientId, token_use: 'id', iss: issuer })
  assert.equal(exp! - iat!, 3600)
  assert.equal(authTime, iat)
  for (const value of [jti, originJti, eventId]) assert.match(String(value), uuid)

  const { iat: aIat, exp: aExp, jti: aJti, ...accessRest } = access.payload
  assert.deepEqual(accessRest, {
    sub,
    client_id: clientId,
    origin_jti: originJti,
    event_id: eventId,
    auth_time: authTime,
    token_use: 'access',
    scope: 'aws.cognito.signin.user.admin',
    username: 'carol',
    iss: issuer,
  })
  assert.equal(aExp! - aIat!, 3600)
  assert.notEqual(aJti, jti)
})

test('a duplicate sign-up is UsernameExistsException, whatever the case of the name', async (t) => {
  const { signUp } = await fixture(t)
  await signUp('dave')
  assert.deepEqual(await failure(signUp('dave')), clientError('UsernameExistsException', 'User already exists'))
  assert.deepEqual(await failure(signUp('DAVE')), clientError('UsernameExistsException', 'User already exists'))
})

test("a password that breaks the declared policy is InvalidPasswordException saying which rule", async (t) => {
  const { signUp } = await fixture(t)
  assert.equal(userPool.passwordPolicy.minLength, 12)
  const cases: [string, string][] = [
    ['Sh0rt-pass!', 'Password not long enough'],
    ['NO-LOWER-CASE-1', 'Password must have lowercase characters'],
    ['no-upper-case-1', 'Password must have uppercase characters'],
    ['No-Numbers-Here', 'Password must have numeric characters'],
    ['NoSymbolsHere1', 'Password must have symbol characters'],
  ]
  for (const [password, rule] of cases) {
    assert.deepEqual(await failure(signUp('erin', password)), clientError('InvalidPasswordException', `Password did not conform with policy: ${rule}`))
  }
})

test('a wrong password and an unknown user get the same NotAuthorizedException (user existence errors prevented)', async (t) => {
  const { signUp, signIn } = await fixture(t)
  await signUp('frank')
  const incorrect = clientError('NotAuthorizedException', 'Incorrect username or password.')
  assert.deepEqual(await failure(signIn('frank', 'Wr0ng-password')), incorrect)
  assert.deepEqual(await failure(signIn('nobody')), incorrect)
})

test('with preventUserExistenceErrors off (LEGACY), an unknown user is UserNotFoundException', async (t) => {
  const { signIn } = await fixture(t, { userPool: { ...userPool, client: { ...userPool.client, preventUserExistenceErrors: false } } })
  assert.deepEqual(await failure(signIn('nobody')), clientError('UserNotFoundException', 'User does not exist.'))
})

test('REFRESH_TOKEN_AUTH gives new ID and access tokens of the same sign-in, and no new refresh token', async (t) => {
  const { signUp, signIn, refresh } = await fixture(t)
  await signUp('grace')
  const first = (await signIn('grace')).AuthenticationResult!
  const refreshed = await refresh(first.RefreshToken!)
  const result = refreshed.AuthenticationResult!
  assert.deepEqual(Object.keys(result).sort(), ['AccessToken', 'ExpiresIn', 'IdToken', 'TokenType'])
  const before = decodeJwt(first.IdToken!)
  const after = decodeJwt(result.IdToken!)
  assert.deepEqual([after.sub, after['cognito:username'], after.origin_jti, after.auth_time], [before.sub, 'grace', before.origin_jti, before.auth_time])
  assert.notEqual(after.jti, before.jti)
  assert.equal(decodeJwt(result.AccessToken!).token_use, 'access')
})

test('a refresh token that is garbage, tampered with or from another pool is NotAuthorizedException', async (t) => {
  const { signUp, signIn, refresh } = await fixture(t)
  const other = await fixture(t)
  await signUp('heidi')
  await other.signUp('heidi')
  const token = (await signIn('heidi')).AuthenticationResult!.RefreshToken!
  const foreign = (await other.signIn('heidi')).AuthenticationResult!.RefreshToken!
  const parts = token.split('.')
  parts[3] = parts[3].slice(0, -2) + (parts[3].endsWith('AA') ? 'BB' : 'AA')
  const invalid = clientError('NotAuthorizedException', 'Invalid Refresh Token.')
  for (const bad of ['not-a-refresh-token', parts.join('.'), foreign]) assert.deepEqual(await failure(refresh(bad)), invalid)
})

test('with auto-confirm off: the user must confirm with the code before signing in', async (t) => {
  const codes = new Map<string, string>()
  const { signUp, signIn, ...pool } = await fixture(t, { cognito: { autoConfirm: false, onCode: (d) => codes.set(d.username, d.code) } })
  const confirm = (code: string) => pool.confirm('ivan', code)
  const signedUp = await signUp('ivan')
  assert.deepEqual([signedUp.UserConfirmed, signedUp.CodeDeliveryDetails], [false, { AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: 'i***@e***' }])
  const code = codes.get('ivan')!
  assert.match(code, /^\d{6}$/)
  assert.deepEqual(await failure(signIn('ivan', 'Wr0ng-password')), clientError('NotAuthorizedException', 'Incorrect username or password.'))
  assert.deepEqual(await failure(signIn('ivan')), clientError('UserNotConfirmedException', 'User is not confirmed.'))
  const wrong = code === '000000' ? '111111' : '000000'
  assert.deepEqual(await failure(confirm(wrong)), clientError('CodeMismatchException', 'Invalid verification code provided, please try again.'))
  await confirm(code)
  assert.ok((await signIn('ivan')).AuthenticationResult?.IdToken)
  assert.deepEqual(await failure(confirm(code)), clientError('NotAuthorizedException', 'User cannot be confirmed. Current status is CONFIRMED'))
})

test('an unknown app client, a flow the client does not allow and a missing parameter are Cognito errors', async (t) => {
  const { client, clientId } = await fixture(t)
  const initiate = (input: Partial<ConstructorParameters<typeof InitiateAuthCommand>[0]>) =>
    client.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', ...input }))
  assert.deepEqual(
    await failure(initiate({ ClientId: 'nosuchclient', AuthParameters: { USERNAME: 'a', PASSWORD: 'b' } })),
    clientError('ResourceNotFoundException', 'User pool client nosuchclient does not exist.'),
  )
  // The chat's client allows SRP and refresh only (src/user-pool.ts).
  for (const flow of ['USER_PASSWORD_AUTH', 'USER_AUTH', 'CUSTOM_AUTH'] as const) {
    assert.deepEqual(await failure(initiate({ AuthFlow: flow, AuthParameters: { USERNAME: 'a', PASSWORD: 'b' } })), clientError('InvalidParameterException', `${flow} flow not enabled for this client`))
  }
  assert.deepEqual(await failure(initiate({ AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: 'a' } })), clientError('InvalidParameterException', 'Missing required parameter SRP_A'))
})

test('the wire: AWS JSON 1.1 errors with __type and x-amzn-ErrorType, an unknown operation, a body that is not JSON', async (t) => {
  const { emu } = await fixture(t)
  const post = (target: string, body: string) =>
    fetch(`${emu.cognito.endpoint}/`, { method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target }, body })
  const bad = await post('AWSCognitoIdentityProviderService.InitiateAuth', JSON.stringify({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: 'x' }))
  assert.equal(bad.status, 400)
  assert.equal(bad.headers.get('content-type'), 'application/x-amz-json-1.1')
  assert.equal(bad.headers.get('x-amzn-errortype'), 'ResourceNotFoundException:')
  assert.match(bad.headers.get('x-amzn-requestid') ?? '', uuid)
  assert.deepEqual(await bad.json(), { __type: 'ResourceNotFoundException', message: 'User pool client x does not exist.' })

  const unknown = await post('AWSCognitoIdentityProviderService.AdminDisableUser', '{}')
  assert.equal(unknown.status, 400)
  assert.equal(((await unknown.json()) as { __type: string }).__type, 'UnknownOperationException')
  const notJson = await post('AWSCognitoIdentityProviderService.SignUp', '{nope')
  assert.deepEqual([notJson.status, ((await notJson.json()) as { __type: string }).__type], [400, 'SerializationException'])
  // CORS (only for allowed origins): e2e/cognito-strict.test.ts.
})

test('the JWKS has the two RSA keys of the pool, and the web config tells the page where the pool is', async (t) => {
  const { emu } = await fixture(t, { web: { dir: new URL('../src/web', import.meta.url).pathname } })
  const jwks = (await (await fetch(`${emu.cognito.issuer}/.well-known/jwks.json`)).json()) as { keys: Record<string, string>[] }
  assert.deepEqual(
    jwks.keys.map((k) => [Object.keys(k).sort(), k.alg, k.kty, k.use, k.e]),
    [0, 1].map(() => [['alg', 'e', 'kid', 'kty', 'n', 'use'], 'RS256', 'RSA', 'sig', 'AQAB']),
  )
  assert.deepEqual(
    jwks.keys.map((k) => k.kid),
    emu.cognito.signingKeysForTests().map((k) => k.kid),
  )
  const config = (await (await fetch(`${emu.httpUrl}/config.json`)).json()) as Record<string, unknown>
  assert.deepEqual(config, {
    websocketUrl: emu.url,
    cognito: {
      endpoint: emu.httpUrl,
      region: 'us-east-1',
      userPoolId: emu.cognito.userPoolId,
      clientId: emu.cognito.clientId,
      passwordPolicy: userPool.passwordPolicy,
      requiredAttributes: userPool.requiredAttributes,
      signInAliases: userPool.signInAliases,
      mfa: userPool.mfa,
    },
  })
})

test('token lifetimes are configurable, and must be positive whole seconds', async (t) => {
  const { signUp, signIn } = await fixture(t, { cognito: { tokenLifetimes: { idTokenSeconds: 300, accessTokenSeconds: 600 } } })
  await signUp('judy')
  const result = (await signIn('judy')).AuthenticationResult!
  const id = decodeJwt(result.IdToken!)
  const access = decodeJwt(result.AccessToken!)
  assert.deepEqual([id.exp! - id.iat!, access.exp! - access.iat!, result.ExpiresIn], [300, 600, 600])
  await assert.rejects(startChatEmulator({ cognito: { tokenLifetimes: { idTokenSeconds: 0 } } }), /tokenLifetimes.idTokenSeconds must be a positive whole number of seconds/)
})
