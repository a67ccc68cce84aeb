// Bad tokens are refused at the handshake with 401 (spec §5.6, §6.11): the authorizer answers
// `Unauthorized`, the connection never reaches `$connect`, and no bad token ever causes a 500.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { api } from '../src/api.ts'
import { startChatEmulator, type ChatEmulator } from './chat-emulator.ts'
import { tokenForge } from './token-forge.ts'
import { idTokenFor } from './users.ts'
import { HandshakeRejected, TestClient } from './ws-client.ts'

async function fixture(t: { after: (fn: () => unknown) => void }): Promise<ChatEmulator> {
  const emu = await startChatEmulator()
  t.after(() => emu.close())
  return emu
}

/** Connects with `query`; the handshake must be refused, and the status and body are returned. */
async function refused(emu: ChatEmulator, query: string) {
  const error = await TestClient.connect(`${emu.url}${query}`).then(
    async (client) => {
      await client.close()
      return assert.fail(`the handshake with ${query.slice(0, 40)}... should have been refused`)
    },
    (e: unknown) => e,
  )
  assert.ok(error instanceof HandshakeRejected, String(error))
  return { status: error.status, body: JSON.parse(error.body) as unknown }
}

const unauthorized = { status: 401, body: { message: 'Unauthorized' } }
const now = () => Math.floor(Date.now() / 1000)

test('spec §6.3: no token, or an empty one, is 401 and the authorizer is never invoked', async (t) => {
  const emu = await fixture(t)
  assert.deepEqual(await refused(emu, ''), unauthorized)
  assert.deepEqual(await refused(emu, '?token='), unauthorized)
  assert.deepEqual(await refused(emu, '?Token=abc'), unauthorized)
  assert.deepEqual(emu.invocations, [])
})

test('every kind of bad token is 401 from the authorizer, and $connect is never reached', async (t) => {
  const emu = await fixture(t)
  const forge = await tokenForge(emu, 'alice')
  // Control: a token minted the same way, changing nothing, is accepted.
  const control = await TestClient.connect(`${emu.url}?token=${await forge.sign()}`)
  await control.close()
  await emu.waitFor((e) => e.routeKey === '$disconnect')
  emu.invocations.length = 0

  const otherPool = await fixture(t)
  const c = forge.claims
  const cases: [string, string][] = [
    ['expired', await forge.sign({ ...c, iat: now() - 7200, auth_time: now() - 7200, exp: now() - 3600 })],
    ['not yet valid', await forge.sign({ ...c, nbf: now() + 3600 })],
    ['wrong issuer', await forge.sign({ ...c, iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_SomeOther1' })],
    ['another pool (another emulator)', await idTokenFor(otherPool, 'alice')],
    ['wrong client', await forge.sign({ ...c, aud: 'anotherappclient0000000000' })],
    ['an access token of another client', await forge.sign({ ...c, token_use: 'access', client_id: 'anotherappclient0000000000' })],
    ['not an id or access token', await forge.sign({ ...c, token_use: 'refresh' })],
    ['signed by another key', await forge.signWithAnotherKey()],
    ['alg none', forge.unsigned()],
    ['HS256 with the public key', await forge.hs256WithPublicKey()],
    ['kid not in the JWKS', await forge.sign(c, { kid: 'no-such-key-id' })],
    ['garbage', 'garbage'],
    ['three parts of garbage', 'a.b.c'],
  ]
  for (const [what, token] of cases) assert.deepEqual(await refused(emu, `?token=${encodeURIComponent(token)}`), unauthorized, what)
  assert.deepEqual(
    emu.invocations.map((e) => [e.routeKey, e.function, e.status, e.error]),
    cases.map(() => ['$connect', 'authorize', '401', 'Unauthorized']),
  )
  assert.equal(emu.connectionCount(), 0)
})

test('when the pool keys cannot be fetched, the handshake fails with 500: not the fault of the token, so not a 401', async (t) => {
  const nowhere = { from: 'value', value: 'http://127.0.0.1:9/us-east-1_Nowhere00' } as const
  const emu = await startChatEmulator({
    api: { ...api, functions: { ...api.functions, authorize: { ...api.functions.authorize, environment: { ...api.functions.authorize.environment, TOKEN_ISSUER: nowhere } } } },
  })
  t.after(() => emu.close())
  const token = await idTokenFor(emu, 'alice')
  assert.deepEqual(await refused(emu, `?token=${token}`), { status: 500, body: { message: 'Internal server error' } })
  assert.deepEqual(
    emu.invocations.map((e) => [e.function, e.status]),
    [['authorize', '500']],
  )
})
