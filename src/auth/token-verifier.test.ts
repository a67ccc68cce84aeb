import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createLocalJWKSet, exportJWK, exportSPKI, generateKeyPair, SignJWT, UnsecuredJWT, type JWTPayload } from 'jose'
import { acceptedIssuers, createTokenVerifier, jwksUrl, TokenRejected, type TokenVerifier } from './token-verifier.ts'

const issuer = 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123'
const clientId = '1example23456789abcdefghij'
const now = () => Math.floor(Date.now() / 1000)

async function fixture() {
  const pool = await generateKeyPair('RS256', { extractable: true })
  const other = await generateKeyPair('RS256', { extractable: true })
  const kid = 'pool-key-1'
  const keys = createLocalJWKSet({ keys: [{ ...(await exportJWK(pool.publicKey)), kid, alg: 'RS256', use: 'sig' }] })
  const verify: TokenVerifier = createTokenVerifier({ issuer, clientId, keys })
  const idClaims = (overrides: JWTPayload = {}): JWTPayload => ({
    sub: 'u-123',
    'cognito:username': 'alice',
    aud: clientId,
    token_use: 'id',
    iss: issuer,
    iat: now(),
    exp: now() + 3600,
    ...overrides,
  })
  const sign = (claims: JWTPayload, key = pool.privateKey, header: { kid?: string; alg?: string } = {}) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid, ...header }).sign(key)
  return { pool, other, kid, verify, idClaims, sign }
}

async function rejection(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => assert.fail('the token should have been rejected'),
    (e: unknown) => e,
  )
  assert.ok(error instanceof TokenRejected, `expected TokenRejected, got ${String(error)}`)
  assert.equal(error.message, 'Unauthorized')
  assert.equal(error.code, 'TOKEN_REJECTED')
  return error.reason
}

test('an ID token of the pool and client yields its sub and cognito:username', async () => {
  const f = await fixture()
  assert.deepEqual(await f.verify(await f.sign(f.idClaims())), { userId: 'u-123', username: 'alice', tokenUse: 'id' })
})

test('an access token of the client yields its sub and username', async () => {
  const f = await fixture()
  const token = await f.sign({ sub: 'u-123', username: 'alice', client_id: clientId, token_use: 'access', iss: issuer, iat: now(), exp: now() + 3600 })
  assert.deepEqual(await f.verify(token), { userId: 'u-123', username: 'alice', tokenUse: 'access' })
})

test('the global issuer form of the configured pool is accepted too', async () => {
  const f = await fixture()
  const token = await f.sign(f.idClaims({ iss: 'https://issuer.cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123' }))
  assert.equal((await f.verify(token)).userId, 'u-123')
})

test('both Cognito issuer forms are derived from either one; any other issuer stands alone', () => {
  const both = ['https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123', 'https://issuer.cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123']
  assert.deepEqual(acceptedIssuers(both[0]), both)
  assert.deepEqual(acceptedIssuers(both[1]), both)
  assert.deepEqual(acceptedIssuers(`${both[0]}/`), both)
  assert.deepEqual(acceptedIssuers('http://127.0.0.1:3001/us-east-1_Local1234'), ['http://127.0.0.1:3001/us-east-1_Local1234'])
  assert.equal(jwksUrl(both[0]).href, `${both[0]}/.well-known/jwks.json`)
})

test('expiry allows a few seconds of clock skew and no more', async () => {
  const f = await fixture()
  assert.equal((await f.verify(await f.sign(f.idClaims({ exp: now() - 2 })))).userId, 'u-123')
  assert.equal(await rejection(f.verify(await f.sign(f.idClaims({ exp: now() - 60 })))), 'ERR_JWT_EXPIRED')
})

test('a token that is not yet valid is rejected', async () => {
  const f = await fixture()
  assert.equal(await rejection(f.verify(await f.sign(f.idClaims({ nbf: now() + 60 })))), 'ERR_JWT_CLAIM_VALIDATION_FAILED:nbf')
})

test('claims that do not match the pool, client or token kind are rejected, each for its reason', async () => {
  const f = await fixture()
  const cases: [JWTPayload, string][] = [
    [f.idClaims({ iss: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other9999' }), 'ERR_JWT_CLAIM_VALIDATION_FAILED:iss'],
    [f.idClaims({ aud: 'another-client' }), 'aud'],
    [f.idClaims({ token_use: 'access', client_id: 'another-client' }), 'client_id'],
    [f.idClaims({ token_use: 'refresh' }), 'token_use'],
    [f.idClaims({ token_use: undefined }), 'ERR_JWT_CLAIM_VALIDATION_FAILED:token_use'],
    [f.idClaims({ sub: undefined }), 'ERR_JWT_CLAIM_VALIDATION_FAILED:sub'],
    [f.idClaims({ exp: undefined }), 'ERR_JWT_CLAIM_VALIDATION_FAILED:exp'],
    [f.idClaims({ 'cognito:username': '' }), 'username'],
  ]
  for (const [claims, reason] of cases) assert.equal(await rejection(f.verify(await f.sign(claims))), reason, JSON.stringify(claims))
})

test('signatures that are not the pool key are rejected: another key, alg none, HS256 keyed with the public key, unknown kid', async () => {
  const f = await fixture()
  assert.equal(await rejection(f.verify(await f.sign(f.idClaims(), f.other.privateKey))), 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED')
  assert.equal(await rejection(f.verify(new UnsecuredJWT(f.idClaims()).encode())), 'ERR_JOSE_ALG_NOT_ALLOWED')
  const publicPem = new TextEncoder().encode(await exportSPKI(f.pool.publicKey))
  const hs256 = await new SignJWT(f.idClaims()).setProtectedHeader({ alg: 'HS256', kid: f.kid }).sign(publicPem)
  assert.equal(await rejection(f.verify(hs256)), 'ERR_JOSE_ALG_NOT_ALLOWED')
  assert.equal(await rejection(f.verify(await f.sign(f.idClaims(), f.pool.privateKey, { kid: 'not-in-the-jwks' }))), 'ERR_JWKS_NO_MATCHING_KEY')
})

test('garbage, an empty token and no token are rejected', async () => {
  const f = await fixture()
  assert.equal(await rejection(f.verify('not.a.jwt')), 'ERR_JWS_INVALID')
  assert.equal(await rejection(f.verify('%%%')), 'ERR_JWS_INVALID')
  assert.equal(await rejection(f.verify('')), 'missing')
  assert.equal(await rejection(f.verify(undefined)), 'missing')
})

test('a failure to get the keys is not blamed on the token', async () => {
  const unreachable = new TypeError('fetch failed')
  const verify = createTokenVerifier({ issuer, clientId, keys: async () => Promise.reject(unreachable) })
  const f = await fixture()
  await assert.rejects(verify(await f.sign(f.idClaims())), (error) => error === unreachable)
})
