// Function timeouts against API Gateway's integration timeout (spec §4.2, §4.8, §5.2, §5.3), and
// handlers that never return or never yield, which must not wedge the emulator.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { fixtureApi } from './fixtures/fidelity/api.ts'
import { startFixture } from './fixtures/fidelity/fixture-emulator.ts'
import { HandshakeRejected, TestClient } from './ws-client.ts'

/**
 * Message-route tests run without `$connect`: a cold start counts against the integration timeout
 * (as on AWS), and these tests shrink that timeout.
 */
const withoutConnect = { ...fixtureApi, routes: fixtureApi.routes.filter((r) => r.routeKey !== '$connect' && r.routeKey !== '$disconnect') }
/**
 * Long enough for a cold start on a loaded two-core machine (even beside a spinning handler until the
 * wedge check ends it), short enough for a test.
 */
const integrationTimeoutMs = 3000

async function open(url: string, t: { after: (fn: () => unknown) => void }): Promise<TestClient> {
  const client = await TestClient.connect(url)
  t.after(() => client.close())
  return client
}

const errorFrame = (message: string) =>
  new RegExp(`^\\{"message": "${message}", "connectionId":"[A-Za-z0-9_-]{15}=", "requestId":"[A-Za-z0-9_-]{15}="\\}$`)

async function refused(url: string): Promise<HandshakeRejected> {
  const error = await TestClient.connect(url, { timeoutMs: 10_000 }).then(
    () => assert.fail('the handshake should have failed'),
    (e: unknown) => e,
  )
  assert.ok(error instanceof HandshakeRejected, String(error))
  return error
}

test('spec §4.8/§5.3: when the integration timeout comes first, a message route gets "Endpoint request timed out" and stays open', async (t) => {
  const fx = await startFixture(t, { api: withoutConnect, limits: { integrationTimeoutMs } })
  const client = await open(fx.emulator.url, t)
  client.send({ action: 'record' })
  const { connectionId } = (await client.next<{ requestContext: { connectionId: string } }>()).requestContext
  client.send({ action: 'hang-long' })
  const frame = await client.next()
  assert.equal(frame.message, 'Endpoint request timed out')
  assert.equal(frame.connectionId, connectionId)
  assert.match(client.frames[1], errorFrame('Endpoint request timed out'))
  assert.equal((await fx.waitFor((e) => e.routeKey === 'hang-long')).status, 'timeout')
  client.send({ action: 'echo', still: 'open' })
  assert.deepEqual(await client.next(), { action: 'echo', still: 'open' })
})

test('spec §5.2: a function that hits its own (shorter) timeout fails like any function error: "Internal server error"', async (t) => {
  // `hang` declares 1 s; API Gateway would wait 29 s. Lambda ends the run itself with "Task timed out".
  const fx = await startFixture(t, { api: withoutConnect })
  const client = await open(fx.emulator.url, t)
  client.send({ action: 'hang' })
  assert.equal((await client.next()).message, 'Internal server error')
  const entry = await fx.waitFor((e) => e.routeKey === 'hang')
  assert.equal(entry.status, 'error')
  assert.match(entry.error ?? '', /^Sandbox\.Timedout: RequestId: \S+ Error: Task timed out after 1\.00 seconds$/)
})

test('a slow init phase (loading the module) does not count against the function\'s own timeout, as on Lambda', async (t) => {
  // slow-init spends 1.5 s at module top level and declares a 1 s timeout.
  const fx = await startFixture(t, { api: withoutConnect })
  const client = await open(fx.emulator.url, t)
  client.send({ action: 'slow-init' })
  const { remainingMs } = await client.next<{ remainingMs: number }>()
  assert.ok(remainingMs > 0 && remainingMs <= 1000, `getRemainingTimeInMillis() = ${remainingMs}`)
})

test('spec §4.2 (UNK, chosen): a $connect past the integration timeout fails the handshake with 504, and no $disconnect follows', async (t) => {
  const fx = await startFixture(t, { limits: { integrationTimeoutMs: 300 } })
  const rejection = await refused(`${fx.emulator.url}?hang=1`)
  assert.equal(rejection.status, 504)
  assert.deepEqual(JSON.parse(rejection.body), { message: 'Endpoint request timed out' })
  assert.equal(fx.emulator.connectionCount(), 0)
  assert.equal((await fx.waitFor((e) => e.routeKey === '$connect')).status, '504')
  assert.equal(fx.invocations.some((e) => e.routeKey === '$disconnect'), false)
})

test('spec §4.2: a $connect that hits its own timeout fails like a function error: 502', async (t) => {
  const api = { ...fixtureApi, functions: { ...fixtureApi.functions, connect: { ...fixtureApi.functions.connect, timeoutSeconds: 1 } } }
  const fx = await startFixture(t, { api })
  const rejection = await refused(`${fx.emulator.url}?hang=1`)
  assert.equal(rejection.status, 502)
  assert.deepEqual(JSON.parse(rejection.body), { message: 'Internal server error' })
})

test('a handler that never returns wedges nothing: other functions answer meanwhile, and it can be invoked again', async (t) => {
  const fx = await startFixture(t, { api: withoutConnect, limits: { integrationTimeoutMs } })
  const client = await open(fx.emulator.url, t)
  client.send({ action: 'hang-long' })
  client.send({ action: 'echo', during: 'the hang' })
  assert.deepEqual(await client.next(), { action: 'echo', during: 'the hang' })
  assert.equal((await client.next()).message, 'Endpoint request timed out')
  client.send({ action: 'hang-long' })
  assert.equal((await client.next()).message, 'Endpoint request timed out')
  assert.equal(fx.invocations.filter((e) => e.routeKey === 'hang-long' && e.status === 'timeout').length, 2)
})

test('a handler that busy-loops wedges nothing: other functions answer meanwhile, and its next invocation runs in a fresh sandbox', async (t) => {
  const fx = await startFixture(t, { api: withoutConnect, limits: { integrationTimeoutMs } })
  const client = await open(fx.emulator.url, t)
  client.send({ action: 'busy', busy: false })
  assert.deepEqual(await client.next(), { alive: true, invocations: 1 })
  client.send({ action: 'busy', busy: true })
  client.send({ action: 'echo', during: 'the loop' })
  assert.deepEqual(await client.next(), { action: 'echo', during: 'the loop' })
  assert.equal((await client.next()).message, 'Endpoint request timed out')
  // The spinning sandbox is retired: the next invocation cold-starts (its module counter restarts).
  client.send({ action: 'busy', busy: false })
  assert.deepEqual(await client.next(), { alive: true, invocations: 1 })
})
