// The handshake and the events it produces, seen from outside (spec §1.1–1.7, §3.1–3.4, §10.4).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { requestTime } from '../emulator/apigateway/websocket-events.ts'
import { fixtureApi } from './fixtures/fidelity/api.ts'
import { startFixture, type Fixture } from './fixtures/fidelity/fixture-emulator.ts'
import { RawWebSocket, type RawConnectOptions } from './fixtures/fidelity/raw-websocket.ts'
import { HandshakeRejected, TestClient } from './ws-client.ts'

type Event = { headers?: Record<string, string>; requestContext: Record<string, unknown>; stageVariables?: Record<string, string> } & Record<string, unknown>

async function rawConnect(fx: Fixture, t: { after: (fn: () => unknown) => void }, query = '', options?: RawConnectOptions) {
  const seen = fx.invocations.length
  const raw = await RawWebSocket.connect(`${fx.emulator.url}${query}`, options)
  t.after(() => raw.end())
  const entry = fx.invocations.slice(seen).find((e) => e.routeKey === '$connect')
  assert.ok(entry)
  return { raw, connectionId: entry.connectionId }
}

test('spec §1.6: when $connect returns no Sec-WebSocket-Protocol, the 101 carries none even if the client offered some', async (t) => {
  const fx = await startFixture(t)
  const { raw } = await rawConnect(fx, t, '', { protocols: ['chat.v1', 'chat.v2'] })
  assert.equal(raw.response.status, 101)
  assert.equal(raw.response.headers['sec-websocket-protocol'], undefined)
  // What a browser does next: a real client library refuses such a connection.
  await assert.rejects(TestClient.connect(fx.emulator.url, { protocols: ['chat.v1'] }), /Server sent no subprotocol/)
})

test('spec §1.6/§1.7/§4.4: the protocol $connect returns is copied into the 101; no other header or body of its result reaches the client', async (t) => {
  const fx = await startFixture(t)
  const { raw } = await rawConnect(fx, t, '?protocol=chat.v2', { protocols: ['chat.v1', 'chat.v2'] })
  assert.deepEqual(Object.keys(raw.response.headers).sort(), ['connection', 'sec-websocket-accept', 'sec-websocket-protocol', 'upgrade'])
  assert.equal(raw.response.headers['sec-websocket-protocol'], 'chat.v2')
  const client = await TestClient.connect(`${fx.emulator.url}?protocol=chat.v1`, { protocols: ['chat.v1'] })
  t.after(() => client.close())
  assert.equal(client.socket.protocol, 'chat.v1')
  client.send({ action: 'echo' })
  assert.deepEqual(await client.next(), { action: 'echo' }, 'the $connect body never arrived as a frame')
})

test('spec §1.5/§10.4: permessage-deflate is negotiated when the client offers it', async (t) => {
  const fx = await startFixture(t)
  const { raw } = await rawConnect(fx, t, '', { extensions: 'permessage-deflate; client_max_window_bits' })
  assert.match(raw.response.headers['sec-websocket-extensions'] ?? '', /^permessage-deflate(;|$)/)
  const plain = await rawConnect(fx, t)
  assert.equal(plain.raw.response.headers['sec-websocket-extensions'], undefined)
})

test('spec §1.2: a plain HTTP request to the WebSocket endpoint is answered 426', async (t) => {
  const fx = await startFixture(t)
  const res = await fetch(fx.emulator.callbackUrl)
  assert.equal(res.status, 426)
  assert.deepEqual(await res.json(), { message: 'Upgrade Required' })
})

test('spec §1.1: a handshake on a path other than the stage is refused with 403 and runs nothing', async (t) => {
  const fx = await startFixture(t)
  const error = await TestClient.connect(fx.emulator.url.replace(/\/prod$/, '/other')).catch((e: unknown) => e)
  assert.ok(error instanceof HandshakeRejected)
  assert.deepEqual([error.status, JSON.parse(error.body)], [403, { message: 'Forbidden' }])
  assert.equal(fx.invocations.length, 0)
})

test('spec §3.1: on CONNECT, requestTimeEpoch is connectedAt + 1 and requestTime is its CLF form; domainName is the host without port', async (t) => {
  const fx = await startFixture(t)
  const { connectionId } = await fx.connect()
  const connect = await fx.report<Event>(`CONNECT#${connectionId}`)
  const { connectedAt, requestTimeEpoch } = connect.requestContext as { connectedAt: number; requestTimeEpoch: number }
  assert.equal(requestTimeEpoch, connectedAt + 1)
  assert.equal(connect.requestContext.requestTime, requestTime(connectedAt + 1))
  assert.equal(connect.requestContext.domainName, '127.0.0.1')
  assert.equal(connect.headers?.Host, '127.0.0.1')
})

test('spec §3.4 (INF): X-Forwarded-For set by a proxy gets the client address appended; the gateway\'s own headers replace the client\'s', async (t) => {
  const fx = await startFixture(t)
  const { connectionId } = await rawConnect(fx, t, '', {
    headers: { 'x-forwarded-for': '203.0.113.7', 'X-Forwarded-Proto': 'http', 'x-forwarded-port': '80', 'X-Amzn-Trace-Id': 'Root=client-made', 'X-Custom': 'kept' },
  })
  const connect = await fx.report<Event>(`CONNECT#${connectionId}`)
  const headers = connect.headers!
  assert.equal(headers['X-Forwarded-For'], '203.0.113.7, 127.0.0.1')
  assert.equal(headers['X-Forwarded-Proto'], 'https')
  assert.equal(headers['X-Forwarded-Port'], '443')
  assert.match(headers['X-Amzn-Trace-Id'], /^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/)
  assert.equal(headers['X-Custom'], 'kept')
  assert.deepEqual(
    Object.keys(headers).filter((name) => /^x-(forwarded|amzn)/i.test(name)).sort(),
    ['X-Amzn-Trace-Id', 'X-Forwarded-For', 'X-Forwarded-Port', 'X-Forwarded-Proto'],
  )
  assert.deepEqual(connect.requestContext.identity, { sourceIp: '127.0.0.1' })
})

test('spec §3.3 (INF): stage variables appear on CONNECT, MESSAGE and DISCONNECT events when the stage defines some', async (t) => {
  const fx = await startFixture(t)
  const { client, connectionId } = await fx.connect()
  client.send({ action: 'record' })
  const message = await client.next<Event>()
  await client.close()
  const connect = await fx.report<Event>(`CONNECT#${connectionId}`)
  const disconnect = await fx.report<Event>(`DISCONNECT#${connectionId}`)
  for (const event of [connect, message, disconnect]) assert.deepEqual(event.stageVariables, { flavour: 'vanilla' })
  assert.deepEqual(Object.keys(message).sort(), ['body', 'isBase64Encoded', 'requestContext', 'stageVariables'])
})

test('spec §3.3: without stage variables, no event has the key', async (t) => {
  const { stageVariables: _, ...withoutVariables } = fixtureApi
  const fx = await startFixture(t, { api: withoutVariables })
  const { client, connectionId } = await fx.connect()
  client.send({ action: 'record' })
  const message = await client.next<Event>()
  assert.deepEqual(Object.keys(message).sort(), ['body', 'isBase64Encoded', 'requestContext'])
  assert.equal('stageVariables' in (await fx.report<Event>(`CONNECT#${connectionId}`)), false)
})
