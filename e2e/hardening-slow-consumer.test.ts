// Issue 9, "bounded memory per client": every frame the gateway sends goes through one path with a
// per-connection limit on unsent bytes. A client that stops reading is closed (1008, chosen) and
// said so in the log; it never holds more than the limit, and everyone else keeps receiving.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { GoneException, LimitExceededException, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi'
import type { EmulatorNotice } from '../emulator/notices.ts'
import { startFixture } from './fixtures/fidelity/fixture-emulator.ts'
import { opcodes, RawWebSocket } from './fixtures/fidelity/raw-websocket.ts'

const limit = 256 * 1024

test('a client that stops reading is closed with 1008 once its unsent bytes pass the limit; posts to it are refused, others still get theirs', async (t) => {
  const notices: EmulatorNotice[] = []
  const fx = await startFixture(t, { limits: { maxBufferedBytes: limit }, notice: (n) => notices.push(n) })
  const slow = await fx.connect()
  const fine = await fx.connect()
  slow.client.socket.pause()
  // Incompressible text: permessage-deflate must not shrink what piles up.
  const data = Buffer.from(randomBytes(48 * 1024).toString('base64'))
  const post = (connectionId: string) => fx.management.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: data }))
  // The kernel's socket buffers take some first; then the gateway's own queue fills to the limit.
  let refused: unknown
  for (let posts = 0; posts < 2000 && !refused; posts++) {
    await post(slow.connectionId).catch((error: unknown) => (refused = error))
    await post(fine.connectionId)
    await fine.client.next()
  }
  assert.ok(refused instanceof LimitExceededException, `expected LimitExceededException, got ${String(refused)}`)
  await assert.rejects(post(slow.connectionId), GoneException)
  assert.equal(notices.length, 1)
  const notice = notices[0] as Extract<EmulatorNotice, { kind: 'slow-consumer' }>
  assert.equal(notice.kind, 'slow-consumer')
  assert.equal(notice.connectionId, slow.connectionId)
  assert.equal(notice.limitBytes, limit)
  assert.ok(notice.bufferedBytes <= limit && notice.bufferedBytes + data.length > limit, `buffered ${notice.bufferedBytes}`)
  const disconnect = await fx.report<{ requestContext: { disconnectStatusCode: number; disconnectReason: string } }>(`DISCONNECT#${slow.connectionId}`)
  assert.deepEqual(
    { code: disconnect.requestContext.disconnectStatusCode, reason: disconnect.requestContext.disconnectReason },
    { code: 1008, reason: 'Slow consumer: too much unread data' },
  )
  await post(fine.connectionId)
  assert.equal((await fine.client.next<string>()).length, data.length)
  // The gateway dropped the connection; once the client reads again it sees the end.
  slow.client.socket.resume()
  await slow.client.closed()
})

test('a ping flood from a client that does not read its pongs meets the same limit', async (t) => {
  const notices: EmulatorNotice[] = []
  const fx = await startFixture(t, { limits: { maxBufferedBytes: limit }, notice: (n) => notices.push(n) })
  const seen = fx.invocations.length
  const flooder = await RawWebSocket.connect(fx.emulator.url)
  t.after(() => flooder.end())
  const { connectionId } = await fx.waitFor((e) => e.routeKey === '$connect' && fx.invocations.indexOf(e) >= seen)
  flooder.stopReading()
  const payload = Buffer.alloc(125, 'p')
  for (let i = 0; i < 200_000 && notices.length === 0; i++) {
    flooder.sendFrame({ opcode: opcodes.ping, payload })
    // Let the server read what was sent: a ping flood arrives over time, not in one write.
    if (i % 2000 === 0) await new Promise((resolve) => setImmediate(resolve))
  }
  const disconnect = await fx.report<{ requestContext: { disconnectStatusCode: number } }>(`DISCONNECT#${connectionId}`, 10_000)
  assert.equal(disconnect.requestContext.disconnectStatusCode, 1008)
  assert.deepEqual(
    notices.map((n) => n.kind),
    ['slow-consumer'],
  )
})
