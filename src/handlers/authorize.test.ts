// The authorizer handler as Lambda runs it: configured by environment, keys from a real JWKS endpoint
// (a local HTTP server on port 0 stands in for the pool's), logs captured from the console.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose'
import type { AuthorizerEvent } from '../auth/authorizer-event.ts'

const methodArn = 'arn:aws:execute-api:eu-west-1:123456789012:abcdef1234/prod/$connect'
const clientId = '1example23456789abcdefghij'
const now = () => Math.floor(Date.now() / 1000)

test('the authorizer allows a valid token for the method ARN, refuses bad ones with Unauthorized, and logs the reason but never the token', async (t) => {
  const { publicKey, privateKey } = await generateKeyPair('RS256')
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }] })
  let jwksFetches = 0
  const server = createServer((req, res) => {
    if (req.url !== '/eu-west-1_Pool12345/.well-known/jwks.json') return void res.writeHead(404).end()
    jwksFetches++
    res.writeHead(200, { 'content-type': 'application/json' }).end(jwks)
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  t.after(() => {
    server.closeAllConnections()
    server.close()
  })
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}/eu-west-1_Pool12345`
  process.env.TOKEN_ISSUER = issuer
  process.env.TOKEN_CLIENT_ID = clientId
  const { handler } = await import('./authorize.ts')

  const lines: string[] = []
  const capture = (...args: unknown[]) => void lines.push(args.map(String).join(' '))
  t.mock.method(console, 'log', capture)
  t.mock.method(console, 'error', capture)
  const claims: JWTPayload = { sub: 'u-1', 'cognito:username': 'alice', aud: clientId, token_use: 'id', iss: issuer, iat: now(), exp: now() + 3600 }
  const sign = (payload: JWTPayload) => new SignJWT(payload).setProtectedHeader({ kid: 'k1', alg: 'RS256' }).sign(privateKey)
  const event = (token?: string): AuthorizerEvent => ({
    type: 'REQUEST',
    methodArn,
    ...(token === undefined ? {} : { queryStringParameters: { token } }),
    requestContext: { connectionId: 'conn-1', requestId: 'req-1' },
  })

  assert.deepEqual(await handler(event(await sign(claims))), {
    principalId: 'u-1',
    policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: methodArn }] },
    context: { userId: 'u-1', username: 'alice' },
  })

  const bad: [token: string | undefined, reason: string][] = [
    [await sign({ ...claims, exp: now() - 3600 }), 'ERR_JWT_EXPIRED'],
    [await sign({ ...claims, aud: 'someone-else' }), 'aud'],
    ['not-a-token', 'ERR_JWS_INVALID'],
    [undefined, 'missing'],
  ]
  for (const [token] of bad) await assert.rejects(handler(event(token)), (error: Error) => error.message === 'Unauthorized' && error.constructor === Error)
  assert.deepEqual(
    lines.map((line) => JSON.parse(line)),
    bad.map(([, reason]) => ({ level: 'warn', msg: 'token rejected', reason, connectionId: 'conn-1', requestId: 'req-1' })),
  )
  for (const [token] of bad) if (token) assert.ok(!lines.some((line) => line.includes(token)), 'a log line holds the token')
  // The JWKS was fetched once for all of those: cached for the life of the sandbox.
  assert.equal(jwksFetches, 1)
})
