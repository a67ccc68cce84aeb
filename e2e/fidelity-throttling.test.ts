// Stage throttling (a token bucket per route, spec §5.6, §9) and Lambda reserved concurrency.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createServer, type ServerResponse } from 'node:http'
import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import { fixtureApi } from './fixtures/fidelity/api.ts'
import { startFixture } from './fixtures/fidelity/fixture-emulator.ts'
import { HandshakeRejected, TestClient } from './ws-client.ts'
import { Waiters } from './waiters.ts'

/** Practically no refill during a test: only the burst counts. */
const burstOf = (burstLimit: number) => ({ rateLimit: 0.001, burstLimit })

/** An HTTP endpoint the `hold` fixture calls; each call stays unanswered until the test releases it. */
async function releaseServer(t: { after: (fn: () => unknown) => void }) {
  const held: ServerResponse[] = []
  const arrivals = new Waiters()
  const server = createServer((_req, res) => {
    held.push(res)
    arrivals.wake()
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  t.after(() => {
    for (const res of held) res.end()
    server.closeAllConnections()
    server.close()
  })
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/release`,
    /** Resolves when `count` calls are being held. */
    held: (count: number) =>
      arrivals.until(() => (held.filter((res) => !res.writableEnded).length >= count ? { value: undefined } : undefined), 5000, () => `${count} held calls`),
    releaseAll: () => held.forEach((res) => res.end('go')),
  }
}

test('spec §9: messages over the stage burst get the "Too Many Requests" error frame and never reach the route', async (t) => {
  const fx = await startFixture(t, { throttle: burstOf(2) })
  const { client } = await fx.connect()
  for (const n of [1, 2, 3]) client.send({ action: 'echo', n })
  const frames = [await client.next(), await client.next(), await client.next()]
  const throttled = frames.filter((f) => f.message === 'Too Many Requests')
  assert.equal(throttled.length, 1)
  assert.match(client.frames.find((f) => f.includes('Too Many Requests'))!, /^\{"message": "Too Many Requests", "connectionId":"[A-Za-z0-9_-]{15}=", "requestId":"[A-Za-z0-9_-]{15}="\}$/)
  // Two invocations run at once, each in its own sandbox, as on Lambda: their answers may cross.
  assert.deepEqual(
    frames
      .filter((f) => f.action === 'echo')
      .map((f) => f.n)
      .sort(),
    [1, 2],
  )
  assert.equal(fx.invocations.filter((e) => e.routeKey === 'echo').length, 2)
  assert.equal(client.closeEvent, undefined, 'throttling does not close the connection')
})

test('spec §9 (INF): each route has its own bucket with the stage\'s limits', async (t) => {
  const fx = await startFixture(t, { throttle: burstOf(1) })
  const { client } = await fx.connect()
  client.send({ action: 'echo', n: 1 })
  assert.deepEqual(await client.next(), { action: 'echo', n: 1 })
  client.send({ action: 'echo', n: 2 })
  assert.equal((await client.next()).message, 'Too Many Requests')
  client.send({ action: 'size' })
  assert.deepEqual(await client.next(), { bytes: 17, tail: ':"size"}' })
})

test('spec §9: the declaration\'s throttle applies when the emulator is given none', async (t) => {
  const fx = await startFixture(t, { api: { ...fixtureApi, throttle: burstOf(1) } })
  const { client } = await fx.connect()
  client.send({ action: 'echo', n: 1 })
  client.send({ action: 'echo', n: 2 })
  const frames = [await client.next(), await client.next()]
  assert.deepEqual(frames.map((f) => f.n ?? f.message).sort(), [1, 'Too Many Requests'])
})

test('spec §5.6: handshakes over the $connect burst are refused with 429 before $connect runs', async (t) => {
  const fx = await startFixture(t, { throttle: burstOf(2) })
  await fx.connect()
  await fx.connect()
  const refused = await TestClient.connect(fx.emulator.url).then(
    () => assert.fail('the third handshake should be throttled'),
    (e: unknown) => e,
  )
  assert.ok(refused instanceof HandshakeRejected)
  assert.equal(refused.status, 429)
  assert.deepEqual(JSON.parse(refused.body), { message: 'Too Many Requests' })
  assert.equal(fx.invocations.filter((e) => e.routeKey === '$connect').length, 2)
})

test('reserved concurrency: a message beyond it is throttled by Lambda ("Internal server error"); once a slot frees, it runs', async (t) => {
  const fx = await startFixture(t)
  const release = await releaseServer(t)
  const { client } = await fx.connect()
  client.send({ action: 'hold', release: release.url, n: 1 })
  await release.held(1)
  client.send({ action: 'hold', release: release.url, n: 2 })
  assert.equal((await client.next()).message, 'Internal server error')
  assert.equal((await fx.waitFor((e) => e.routeKey === 'hold')).status, 'throttled')
  release.releaseAll()
  assert.equal(await client.next(), 'released')
  client.send({ action: 'hold', release: release.url, n: 3 })
  await release.held(1)
  release.releaseAll()
  assert.equal(await client.next(), 'released')
})

test('spec §5.6 (INF): a $connect throttled by reserved concurrency fails with 500; a timed-out run still holds its slot', async (t) => {
  const connect = { ...fixtureApi.functions.connect, timeoutSeconds: 60, reservedConcurrency: 1 }
  const fx = await startFixture(t, { api: { ...fixtureApi, functions: { ...fixtureApi.functions, connect } }, limits: { integrationTimeoutMs: 1500 } })
  const first = await TestClient.connect(`${fx.emulator.url}?hang=1`).catch((e: unknown) => e)
  assert.ok(first instanceof HandshakeRejected && first.status === 504, String(first))
  // API Gateway gave up on the first run, but Lambda still runs it: no slot for the next one.
  const second = await TestClient.connect(fx.emulator.url).catch((e: unknown) => e)
  assert.ok(second instanceof HandshakeRejected, String(second))
  assert.equal(second.status, 500)
  assert.deepEqual(JSON.parse(second.body), { message: 'Internal server error' })
})
