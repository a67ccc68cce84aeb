// Lambda's execution model: one invocation per sandbox, a pool per function, cold starts visible in
// the REPORT fields, provisioned concurrency kept initialised, idle sandboxes reclaimed, and the
// local machine's sandbox limit met with a bounded wait instead of a loss.
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { createServer, type ServerResponse } from 'node:http'
import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import { startFixture, type Fixture } from './fixtures/fidelity/fixture-emulator.ts'
import type { TestClient } from './ws-client.ts'
import { within } from './waiters.ts'
import type { EmulatorNotice } from '../emulator/notices.ts'

interface Identity {
  readonly instance: string
  readonly runs: number
  readonly interleaved: boolean
}

/** Holds each handler's request to it until the test releases them all. */
async function releaseServer(t: TestContext) {
  const held: ServerResponse[] = []
  const arrivals = new Set<() => void>()
  const server = createServer((_req, res) => {
    held.push(res)
    for (const arrived of arrivals) arrived()
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  t.after(() => {
    server.closeAllConnections()
    server.close()
  })
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    /** Resolves once `n` runs are held at the same time. */
    async holding(n: number): Promise<void> {
      if (held.length >= n) return
      await within(
        new Promise<void>((resolve) => {
          const arrived = () => {
            if (held.length < n) return
            arrivals.delete(arrived)
            resolve()
          }
          arrivals.add(arrived)
        }),
        10_000,
        `${n} runs held at once`,
      )
    },
    releaseAll(): void {
      for (const res of held.splice(0)) res.end('go')
    },
  }
}

/** Sends `n` identity requests at once and returns their answers. */
async function identities(client: TestClient, n: number, release?: string): Promise<Identity[]> {
  for (let i = 0; i < n; i++) client.send({ action: 'identity', ...(release && { release }) })
  const frames: Identity[] = []
  for (let i = 0; i < n; i++) frames.push((await client.next(() => true, 10_000)) as unknown as Identity)
  return frames
}

const identityRuns = (fx: Fixture) => fx.invocations.filter((e) => e.routeKey === 'identity')

test('Lambda: concurrent invocations of one function run in separate sandboxes, never interleaved in one module', async (t) => {
  const fx = await startFixture(t)
  const release = await releaseServer(t)
  const { client } = await fx.connect()
  const answers = identities(client, 4, release.url)
  // All four are inside their handlers at the same moment: only four sandboxes can hold that.
  await release.holding(4)
  assert.equal(fx.emulator.sandboxes().identity, 4)
  release.releaseAll()
  const first = await answers
  assert.equal(first.filter((a) => a.interleaved).length, 0, 'no run saw another run\'s request in its module')
  assert.equal(new Set(first.map((a) => a.instance)).size, 4)
  assert.deepEqual(first.map((a) => a.runs), [1, 1, 1, 1])
  // Each of the four cold-started: its REPORT carries an init duration.
  await fx.emulator.settled()
  const cold = identityRuns(fx)
  assert.equal(cold.length, 4)
  for (const entry of cold) {
    assert.ok(entry.report, 'a finished run has a REPORT')
    assert.ok(entry.report.initDurationMs !== undefined && entry.report.initDurationMs > 0, 'a cold start reports its init')
    assert.equal(entry.report.memorySizeMb, 192)
    assert.ok(entry.report.maxMemoryUsedMb > 0 && entry.report.maxMemoryUsedMb < 192)
    // On-demand: the init phase is billed with the run, in whole milliseconds.
    assert.equal(entry.report.billedDurationMs, Math.ceil(entry.report.durationMs + entry.report.initDurationMs))
  }

  // One at a time, the warm sandboxes serve them: no init, same instances, module state kept.
  const warm: Identity[] = []
  for (let i = 0; i < 3; i++) warm.push(...(await identities(client, 1)))
  await fx.emulator.settled()
  for (const answer of warm) assert.ok(first.some((a) => a.instance === answer.instance), 'a warm sandbox is reused')
  assert.ok(warm.some((a) => a.runs > 1))
  for (const entry of identityRuns(fx).slice(4)) {
    assert.equal(entry.report?.initDurationMs, undefined, 'a warm run reports no init')
    assert.equal(entry.report?.billedDurationMs, Math.ceil(entry.report!.durationMs))
  }
  assert.equal(fx.emulator.sandboxes().identity, 4, 'sandboxes stay warm while they are not idle for long')
})

test('Lambda: provisioned sandboxes are initialised at start; invocations up to that many never cold-start', async (t) => {
  const fx = await startFixture(t, { provisionedConcurrency: { identity: 2 } })
  // Initialised before the emulator was ready, before any request.
  assert.equal(fx.emulator.sandboxes().identity, 2)
  assert.equal(fx.emulator.sandboxes().echo, 0, 'other functions start on first use')
  const release = await releaseServer(t)
  const { client } = await fx.connect()
  const answers = identities(client, 3, release.url)
  await release.holding(3)
  release.releaseAll()
  const got = await answers
  assert.equal(new Set(got.map((a) => a.instance)).size, 3)
  await fx.emulator.settled()
  const inits = identityRuns(fx).map((e) => e.report?.initDurationMs)
  assert.equal(inits.filter((ms) => ms === undefined).length, 2, 'two runs met provisioned sandboxes (no init in their REPORT)')
  assert.equal(inits.filter((ms) => ms !== undefined).length, 1, 'the third cold-started on demand')
})

test('Lambda: a provisioned sandbox that crashes is replaced, so the setting holds', async (t) => {
  const fx = await startFixture(t, { provisionedConcurrency: { crash: 1 } })
  assert.equal(fx.emulator.sandboxes().crash, 1)
  const { client } = await fx.connect()
  client.send({ action: 'crash' })
  assert.equal((await client.next()).message, 'Internal server error')
  await fx.emulator.settled()
  await poll(() => fx.emulator.sandboxes().crash === 1, 'the provisioned sandbox replaced')
})

test('Lambda: an idle on-demand sandbox is reclaimed after the idle time; the next run cold-starts', async (t) => {
  const fx = await startFixture(t, { sandboxIdleMs: 50 })
  const { client } = await fx.connect()
  const [first] = await identities(client, 1)
  await poll(() => fx.emulator.sandboxes().identity === 0, 'the idle sandbox reclaimed')
  const [second] = await identities(client, 1)
  assert.notEqual(second.instance, first.instance)
  assert.equal(second.runs, 1)
  await fx.emulator.settled()
  assert.ok(identityRuns(fx).at(-1)?.report?.initDurationMs !== undefined)
})

test('local machine limit: past --max-sandboxes a run waits for a busy sandbox of its function rather than evicting one just used; none is lost', async (t) => {
  const fx = await startFixture(t, { maxSandboxes: 3 })
  const release = await releaseServer(t)
  const { client } = await fx.connect()
  // $connect's sandbox is idle now (a moment ago busy) and holds one of the three slots.
  assert.equal(fx.emulator.sandboxes().connect, 1)
  const answers = identities(client, 4, release.url)
  // Two run in the two free slots; the other two wait for them (no churn of cold starts).
  await release.holding(2)
  assert.equal(fx.emulator.sandboxes().identity, 2)
  assert.equal(fx.emulator.sandboxes().connect, 1)
  release.releaseAll()
  await release.holding(2)
  release.releaseAll()
  const got = await answers
  assert.equal(got.length, 4)
  assert.equal(got.filter((a) => a.interleaved).length, 0)
  assert.equal(new Set(got.map((a) => a.instance)).size, 2, 'the two waiting runs met the two warm sandboxes')
})

test('local machine limit: a function with no sandbox at all gets one at once: an idle sandbox of another function makes room', async (t) => {
  const fx = await startFixture(t, { maxSandboxes: 1 })
  const { client } = await fx.connect()
  assert.equal(fx.emulator.sandboxes().connect, 1)
  const [answer] = await identities(client, 1)
  assert.equal(answer.interleaved, false)
  assert.equal(fx.emulator.sandboxes().connect, 0)
  assert.equal(fx.emulator.sandboxes().identity, 1)
})

test('local machine limit: a run that cannot get a slot within the integration timeout is answered as a timeout, and the limit is reported', async (t) => {
  const notices: EmulatorNotice[] = []
  // The one slot holds $connect's provisioned sandbox, which is never reclaimed for another function.
  const fx = await startFixture(t, { maxSandboxes: 1, provisionedConcurrency: { connect: 1 }, limits: { integrationTimeoutMs: 500 }, notice: (n) => notices.push(n) })
  const { client } = await fx.connect()
  client.send({ action: 'identity' })
  // What API Gateway answers a route whose integration did not answer in time (spec §5.2).
  assert.equal((await client.next(() => true, 5000)).message, 'Endpoint request timed out')
  assert.deepEqual(
    notices.filter((n) => n.kind === 'sandbox-limit'),
    [{ kind: 'sandbox-limit', function: 'fidelity-identity', limit: 1, waiting: 1 }],
  )
  await fx.emulator.settled()
  assert.equal(identityRuns(fx).at(-1)?.status, 'timeout')
  assert.equal(fx.emulator.sandboxes().identity, 0, 'it never ran')
})

async function poll(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  // The state is inside the emulator, with no event to wait on from outside: look until it holds.
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}
