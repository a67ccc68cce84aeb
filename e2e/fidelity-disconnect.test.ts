// How connections end and what `$disconnect` reports (spec §4.3, §8), for closes the client starts
// and for handshakes that never become connections.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { startFixture } from './fixtures/fidelity/fixture-emulator.ts'
import { RawWebSocket, opcodes } from './fixtures/fidelity/raw-websocket.ts'
import { HandshakeRejected, TestClient } from './ws-client.ts'

type Disconnect = { requestContext: { disconnectStatusCode: number; disconnectReason: string } }

test('spec §8: a client close with a code and reason is reported as that code and reason', async (t) => {
  const fx = await startFixture(t)
  const { client, connectionId } = await fx.connect()
  await client.close(4000, 'see you')
  const { requestContext } = await fx.report<Disconnect>(`DISCONNECT#${connectionId}`)
  assert.deepEqual([requestContext.disconnectStatusCode, requestContext.disconnectReason], [4000, 'see you'])
})

test('spec §8: a close frame without a status is reported as 1005 "Client-side close frame status not set"', async (t) => {
  const fx = await startFixture(t)
  const seen = fx.invocations.length
  const raw = await RawWebSocket.connect(fx.emulator.url)
  t.after(() => raw.end())
  const connectionId = fx.invocations.slice(seen).find((e) => e.routeKey === '$connect')!.connectionId
  raw.sendFrame({ opcode: opcodes.close, payload: Buffer.alloc(0) })
  const { requestContext } = await fx.report<Disconnect>(`DISCONNECT#${connectionId}`)
  assert.deepEqual([requestContext.disconnectStatusCode, requestContext.disconnectReason], [1005, 'Client-side close frame status not set'])
})

test('spec §8 (UNK, chosen): a TCP drop without a close frame is reported as 1006 with an empty reason', async (t) => {
  const fx = await startFixture(t)
  const seen = fx.invocations.length
  const raw = await RawWebSocket.connect(fx.emulator.url)
  const connectionId = fx.invocations.slice(seen).find((e) => e.routeKey === '$connect')!.connectionId
  raw.end()
  const { requestContext } = await fx.report<Disconnect>(`DISCONNECT#${connectionId}`)
  assert.deepEqual([requestContext.disconnectStatusCode, requestContext.disconnectReason], [1006, ''])
})

for (const [query, why] of [
  ['?result=none', 'returns nothing'],
  ['?status=abc', 'returns a statusCode that is not a number'],
] as const) {
  test(`spec §4.3 (UNK, chosen): a $connect that ${why} fails the handshake with 502, and no $disconnect follows`, async (t) => {
    const fx = await startFixture(t)
    const error = await TestClient.connect(`${fx.emulator.url}${query}`).catch((e: unknown) => e)
    assert.ok(error instanceof HandshakeRejected, String(error))
    assert.deepEqual([error.status, JSON.parse(error.body)], [502, { message: 'Internal server error' }])
    await fx.waitFor((e) => e.routeKey === '$connect')
    assert.equal(fx.emulator.connectionCount(), 0)
    assert.equal(fx.invocations.some((e) => e.routeKey === '$disconnect'), false)
  })
}

test('spec §8: the emulator shutting down closes sockets with 1001 "Going away" and runs their $disconnect first', async (t) => {
  const fx = await startFixture(t)
  const { client, connectionId } = await fx.connect()
  await fx.emulator.close()
  assert.deepEqual(await client.closed(), { code: 1001, reason: 'Going away' })
  const entry = fx.invocations.find((e) => e.routeKey === '$disconnect' && e.connectionId === connectionId)
  assert.equal(entry?.status, 'ok', 'close() waited for $disconnect')
})
