// The local pool's tokens as a Cognito-aware verifier sees them: aws-jwt-verify's generic RSA
// verifier, fetching the local JWKS at `${issuer}/.well-known/jwks.json` over HTTP, accepts them and
// finds every claim Cognito's developer guide lists for ID and access tokens. Its CognitoJwtVerifier
// cannot be pointed at a non-AWS issuer (it derives `https://cognito-idp.<region>.amazonaws.com/<pool>`
// from the pool id), so with the local JWKS handed to it, it refuses the local issuer: an app that
// verifies with it offline must use JwtRsaVerifier (or be told the issuer another way).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { CognitoJwtVerifier, JwtRsaVerifier } from 'aws-jwt-verify'
import { SimpleJwksCache } from 'aws-jwt-verify/jwk'
import { cognitoFixture as fixture } from './cognito-fixture.ts'

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

// The library's own fetcher speaks HTTPS only; the local JWKS is served over HTTP.
const httpJwks = () => new SimpleJwksCache({ fetcher: { fetch: async (uri: string) => (await fetch(uri)).arrayBuffer() } })

test('aws-jwt-verify accepts the local ID and access tokens, with every claim Cognito issues', async (t) => {
  const { emu, clientId, signUp, signIn } = await fixture(t)
  const { UserSub: sub } = await signUp('jv-amy')
  const result = (await signIn('jv-amy')).AuthenticationResult!
  const { issuer } = emu.cognito
  const verifier = (tokenUse: 'id' | 'access') =>
    JwtRsaVerifier.create(
      {
        issuer,
        jwksUri: `${issuer}/.well-known/jwks.json`,
        audience: tokenUse === 'id' ? clientId : null,
        customJwtCheck: ({ payload }) => assert.equal(payload.token_use, tokenUse),
      },
      { jwksCache: httpJwks() },
    )
  const id = await verifier('id').verify(result.IdToken!)
  const access = await verifier('access').verify(result.AccessToken!)

  const { iat, exp, auth_time: authTime, jti, origin_jti: originJti, event_id: eventId, ...idRest } = id
  assert.deepEqual(idRest, { sub, email: 'jv-amy@example.test', email_verified: true, 'cognito:username': 'jv-amy', aud: clientId, token_use: 'id', iss: issuer })
  assert.equal(exp! - iat!, 3600)
  assert.equal(authTime, iat)
  for (const value of [jti, originJti, eventId]) assert.match(String(value), uuid)

  const { iat: aIat, exp: aExp, jti: aJti, ...accessRest } = access
  assert.deepEqual(accessRest, {
    sub,
    client_id: clientId,
    origin_jti: originJti,
    event_id: eventId,
    auth_time: authTime,
    token_use: 'access',
    scope: 'aws.cognito.signin.user.admin',
    username: 'jv-amy',
    iss: issuer,
  })
  assert.equal(aExp! - aIat!, 3600)
  assert.match(String(aJti), uuid)
  assert.notEqual(aJti, jti)

  // A token of another pool's client, or an access token where an ID token is expected, is refused.
  await assert.rejects(JwtRsaVerifier.create({ issuer, jwksUri: `${issuer}/.well-known/jwks.json`, audience: 'someoneelse' }, { jwksCache: httpJwks() }).verify(result.IdToken!))
  await assert.rejects(verifier('id').verify(result.AccessToken!))
})

test("CognitoJwtVerifier, given the local JWKS, refuses the local issuer (it only knows AWS's)", async (t) => {
  const { emu, clientId, signUp, signIn } = await fixture(t)
  await signUp('jv-ben')
  const result = (await signIn('jv-ben')).AuthenticationResult!
  const verifier = CognitoJwtVerifier.create({ userPoolId: emu.cognito.userPoolId, tokenUse: 'id', clientId })
  verifier.cacheJwks(await (await fetch(`${emu.cognito.issuer}/.well-known/jwks.json`)).json())
  await assert.rejects(verifier.verify(result.IdToken!), { message: `issuer not configured: ${emu.cognito.issuer}` })
})
