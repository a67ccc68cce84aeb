// Frame and message limits, both ways (spec §1.8, §1.9, §7.3, §7.8, §8, §9), seen on the wire.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { constants, inflateRawSync } from 'node:zlib'
import { PayloadTooLargeException, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi'
import { startFixture, type Fixture } from './fixtures/fidelity/fixture-emulator.ts'
import { opcodes, RawWebSocket, type RawConnectOptions } from './fixtures/fidelity/raw-websocket.ts'

const KB = 1024

async function rawConnect(fx: Fixture, t: { after: (fn: () => unknown) => void }, options?: RawConnectOptions) {
  const seen = fx.invocations.length
  const raw = await RawWebSocket.connect(fx.emulator.url, options)
  t.after(() => raw.end())
  const entry = fx.invocations.slice(seen).find((e) => e.routeKey === '$connect')
  assert.ok(entry, 'the $connect invocation is logged')
  return { raw, connectionId: entry.connectionId }
}

/** A JSON message for route `action` that is exactly `bytes` long. */
function messageOf(action: string, bytes: number): string {
  const head = `{"action":"${action}","pad":"`
  return `${head}${'x'.repeat(bytes - head.length - 2)}"}`
}

function text(frames: readonly { payload: Buffer }[]): string {
  return Buffer.concat(frames.map((f) => f.payload)).toString()
}

test('spec §1.9: a single frame over 32 KB closes the connection with 1009, and $disconnect reports 1009', async (t) => {
  const fx = await startFixture(t)
  const { raw, connectionId } = await rawConnect(fx, t)
  raw.sendFrame({ opcode: opcodes.text, payload: messageOf('size', 32 * KB + 1) })
  assert.deepEqual(await raw.closed(), { code: 1009, reason: 'Message too big' })
  const disconnect = await fx.report<{ requestContext: Record<string, unknown> }>(`DISCONNECT#${connectionId}`)
  assert.equal(disconnect.requestContext.disconnectStatusCode, 1009)
  assert.equal(disconnect.requestContext.disconnectReason, 'Message too big')
  assert.equal(fx.invocations.some((e) => e.routeKey === 'size'), false, 'the oversized frame reached no route')
})

test('spec §1.9: a frame of exactly 32 KB is accepted', async (t) => {
  const fx = await startFixture(t)
  const { raw } = await rawConnect(fx, t)
  raw.sendFrame({ opcode: opcodes.text, payload: messageOf('size', 32 * KB) })
  assert.deepEqual(JSON.parse(text(await raw.nextMessage())), { bytes: 32 * KB, tail: 'xxxxxx"}' })
})

test('spec §1.9: a 100 KB message and a 128 KB message sent as 32 KB frames reach the route whole', async (t) => {
  const fx = await startFixture(t)
  const { raw } = await rawConnect(fx, t)
  raw.sendFragmented(messageOf('size', 100 * KB), 32 * KB)
  assert.equal(JSON.parse(text(await raw.nextMessage())).bytes, 100 * KB)
  raw.sendFragmented(messageOf('size', 128 * KB), 32 * KB)
  assert.equal(JSON.parse(text(await raw.nextMessage())).bytes, 128 * KB)
})

test('spec §1.9: a message over 128 KB closes with 1009 even when every frame is within 32 KB', async (t) => {
  const fx = await startFixture(t)
  const { raw, connectionId } = await rawConnect(fx, t)
  raw.sendFragmented(messageOf('size', 128 * KB + 1), 32 * KB)
  assert.equal((await raw.closed())?.code, 1009)
  const disconnect = await fx.report<{ requestContext: Record<string, unknown> }>(`DISCONNECT#${connectionId}`)
  assert.equal(disconnect.requestContext.disconnectStatusCode, 1009)
})

test('spec §1.9: a compressed message that inflates past 128 KB closes with 1009', async (t) => {
  const fx = await startFixture(t)
  const { client, connectionId } = await fx.connect()
  assert.match(client.socket.extensions, /permessage-deflate/)
  // Compresses to a few hundred bytes on the wire: only its inflated size breaks the limit.
  client.send(messageOf('size', 200 * KB))
  assert.equal((await client.closed()).code, 1009)
  const disconnect = await fx.report<{ requestContext: Record<string, unknown> }>(`DISCONNECT#${connectionId}`)
  assert.equal(disconnect.requestContext.disconnectStatusCode, 1009)
})

test('spec §1.8: a binary frame closes the connection with 1003, and $disconnect reports 1003', async (t) => {
  const fx = await startFixture(t)
  const { client, connectionId } = await fx.connect()
  client.socket.send(Buffer.from('{"action":"echo"}'), { binary: true })
  assert.deepEqual(await client.closed(), { code: 1003, reason: 'Binary frames are not supported' })
  const disconnect = await fx.report<{ requestContext: Record<string, unknown> }>(`DISCONNECT#${connectionId}`)
  assert.equal(disconnect.requestContext.disconnectStatusCode, 1003)
  assert.equal(fx.invocations.some((e) => e.routeKey === 'echo'), false)
})

test('spec §7.3/§9: PostToConnection over 128 KB is a PayloadTooLargeException; exactly 128 KB is delivered', async (t) => {
  const fx = await startFixture(t)
  const { client, connectionId } = await fx.connect()
  const error = await fx.management.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: 'y'.repeat(128 * KB + 1) })).then(
    () => assert.fail('the post should have been refused'),
    (e: unknown) => e,
  )
  assert.ok(error instanceof PayloadTooLargeException)
  assert.equal(error.$metadata.httpStatusCode, 413)
  await fx.management.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: 'z'.repeat(128 * KB) }))
  assert.equal(await client.next(), 'z'.repeat(128 * KB))
})

test('spec §1.9/§7.8: a 100 KB post reaches the client as one text message in frames of at most 32 KB', async (t) => {
  const fx = await startFixture(t)
  const { raw, connectionId } = await rawConnect(fx, t)
  const data = randomBytes(75 * KB).toString('base64')
  await fx.management.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: data }))
  const frames = await raw.nextMessage()
  assert.deepEqual(
    frames.map((f) => [f.opcode, f.fin, f.payload.length]),
    [
      [opcodes.text, false, 32 * KB],
      [opcodes.continuation, false, 32 * KB],
      [opcodes.continuation, false, 32 * KB],
      [opcodes.continuation, true, data.length - 96 * KB],
    ],
  )
  assert.equal(text(frames), data)
})

test('spec §1.9/§1.5: with permessage-deflate negotiated, each compressed frame of a 100 KB post is still at most 32 KB', async (t) => {
  const fx = await startFixture(t)
  const { raw, connectionId } = await rawConnect(fx, t, { extensions: 'permessage-deflate' })
  assert.match(raw.response.headers['sec-websocket-extensions'] ?? '', /^permessage-deflate/)
  // Random base64 barely compresses: the worst case for the frame size.
  const data = randomBytes(75 * KB).toString('base64')
  await fx.management.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: data }))
  const frames = await raw.nextMessage()
  assert.ok(frames.length >= 4, `fragmented into ${frames.length} frames`)
  assert.ok(frames.every((f) => f.payload.length <= 32 * KB), `frame sizes ${frames.map((f) => f.payload.length).join(', ')}`)
  assert.deepEqual(
    frames.map((f) => [f.opcode, f.rsv1]),
    frames.map((_, i) => [i === 0 ? opcodes.text : opcodes.continuation, i === 0]),
  )
  // RFC 7692 §7.2.2: the message is the frames' payloads plus the sync-flush tail the sender removed.
  const deflated = Buffer.concat([...frames.map((f) => f.payload), Buffer.from([0x00, 0x00, 0xff, 0xff])])
  const inflated = inflateRawSync(deflated, { finishFlush: constants.Z_SYNC_FLUSH })
  assert.equal(inflated.toString(), data)
})

test('spec §1.9/§4.6: a two-way route response over 32 KB arrives in frames of at most 32 KB', async (t) => {
  const fx = await startFixture(t)
  const { raw } = await rawConnect(fx, t)
  const message = messageOf('echo', 40 * KB)
  raw.sendFragmented(message, 32 * KB)
  const frames = await raw.nextMessage()
  assert.deepEqual(
    frames.map((f) => f.payload.length),
    [32 * KB, 8 * KB],
  )
  assert.equal(text(frames), message)
})
