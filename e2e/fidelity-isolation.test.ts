// Isolation as on Lambda: each function its own environment and module state; a crash ends only its
// own sandbox, and the next invocation cold-starts (design.md §3.2).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { startFixture } from './fixtures/fidelity/fixture-emulator.ts'

type State = { invocations: number; env: string[]; tag?: string }

/** What Lambda itself puts in every function's environment here (the rest comes from the declaration). */
const runtimeVariables = [
  'AWS_ACCESS_KEY_ID',
  'AWS_DEFAULT_REGION',
  'AWS_ENDPOINT_URL_DYNAMODB',
  'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_REGION',
  'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED',
  'AWS_SECRET_ACCESS_KEY',
  'TZ',
]

test('design §3.2: each function sees exactly its declared environment plus the runtime\'s, never the host process\'s', async (t) => {
  process.env.FIDELITY_HOST_ONLY = 'must not leak'
  t.after(() => delete process.env.FIDELITY_HOST_ONLY)
  const fx = await startFixture(t)
  const { client } = await fx.connect()
  client.send({ action: 'state-a' })
  const a = await client.next<State>()
  assert.deepEqual(a.env, [...runtimeVariables, 'ONLY_A', 'TAG'].sort())
  assert.equal(a.tag, 'a')
  client.send({ action: 'state-b' })
  const b = await client.next<State>()
  assert.deepEqual(b.env, [...runtimeVariables, 'TAG'].sort())
  assert.equal(b.tag, 'b')
})

test('two functions built from one file keep separate module state, warm across invocations', async (t) => {
  const fx = await startFixture(t)
  const { client } = await fx.connect()
  const counts: number[] = []
  for (const action of ['state-a', 'state-a', 'state-b', 'state-a', 'state-b']) {
    client.send({ action })
    counts.push((await client.next<State>()).invocations)
  }
  assert.deepEqual(counts, [1, 2, 1, 3, 2])
})

test('a change one function makes to its environment is invisible to other functions and to the host', async (t) => {
  const fx = await startFixture(t)
  const { client } = await fx.connect()
  client.send({ action: 'state-a', setEnv: 'FIDELITY_LEAKED' })
  assert.ok((await client.next<State>()).env.includes('FIDELITY_LEAKED'))
  client.send({ action: 'state-b' })
  assert.equal((await client.next<State>()).env.includes('FIDELITY_LEAKED'), false)
  assert.equal(process.env.FIDELITY_LEAKED, undefined)
})

for (const [how, error] of [
  ['throw-later', /^Runtime\.ExitError: .*uncaught, from a timer$/],
  ['exit', /^Runtime\.ExitError: Runtime exited with error: exit status 3$/],
  ['reject', /^Runtime\.ExitError: .*nobody handles this rejection$/],
] as const) {
  test(`a crash (${how}) fails only its invocation ("Internal server error"); other functions keep their state and the next call cold-starts`, async (t) => {
    const fx = await startFixture(t)
    const { client } = await fx.connect()
    const send = async <T>(frame: Record<string, unknown>) => {
      client.send(frame)
      return client.next<T>()
    }
    assert.equal((await send<State>({ action: 'state-a' })).invocations, 1)
    assert.deepEqual(await send({ action: 'crash', how: 'count' }), { invocations: 1 })
    assert.deepEqual(await send({ action: 'crash', how: 'count' }), { invocations: 2 })

    assert.equal((await send<{ message: string }>({ action: 'crash', how })).message, 'Internal server error')
    const entry = await fx.waitFor((e) => e.routeKey === 'crash' && e.status === 'error')
    assert.match(entry.error ?? '', error)

    assert.equal((await send<State>({ action: 'state-a' })).invocations, 2, 'the other function was untouched')
    assert.deepEqual(await send({ action: 'crash', how: 'count' }), { invocations: 1 }, 'a new sandbox: module state starts over')
    assert.equal(client.closeEvent, undefined)
  })
}

test("the crash fault at 0 ms ends the run as its handler is called, before any of its I/O (none of 20 crashed runs wrote its report); a run without it writes", async (t) => {
  const fx = await startFixture(t)
  const { client, connectionId } = await fx.connect()
  const runs = 20
  // Its SDK warmed at init, the handler's own write is quick enough to finish before a 0 ms timer.
  fx.emulator.faults.failInvocations({ function: 'recordWarm', connectionId, kind: 'crash', afterMs: 0, times: runs })
  for (let i = 0; i < runs; i++) {
    client.send({ action: 'record-warm' })
    assert.equal((await client.next<{ message: string }>()).message, 'Internal server error')
  }
  const crashed = fx.invocations.filter((e) => e.routeKey === 'record-warm' && e.status === 'error')
  assert.equal(crashed.length, runs)
  client.send({ action: 'record-warm' })
  const answered = await client.next<{ requestContext: { requestId: string } }>()
  await fx.report(`MESSAGE#${answered.requestContext.requestId}`)
  for (const entry of crashed) await assert.rejects(fx.report(`MESSAGE#${entry.requestId}`, 0), /no report/)
})
