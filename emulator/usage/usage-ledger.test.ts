import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { InvocationLogEntry } from '../lambda/invocation-log.ts'
import { countsSince, messageUnits, UsageLedger } from './usage-ledger.ts'

const entry = (fn: string, status: string, billedDurationMs?: number, memorySizeMb = 1024): InvocationLogEntry => ({
  time: '2026-12-02T00:00:00.000Z',
  routeKey: fn,
  function: fn,
  connectionId: 'c',
  requestId: 'r',
  status,
  durationMs: 1,
  ...(billedDurationMs === undefined ? {} : { report: { durationMs: billedDurationMs - 0.5, billedDurationMs, memorySizeMb, maxMemoryUsedMb: 60 } }),
})

test('API Gateway bills messages in 32 KB units: 32 KB is one, 33 KB two, an empty frame one', () => {
  assert.deepEqual([0, 1, 32 * 1024, 32 * 1024 + 1, 33 * 1024, 128 * 1024].map(messageUnits), [1, 1, 1, 2, 2, 4])
})

test('connection minutes are whole minutes per connection, open ones counted up to now', () => {
  let now = 0
  const ledger = new UsageLedger(() => now)
  ledger.connected('a')
  ledger.connected('b')
  now = 61_000
  ledger.disconnected('a')
  // Unknown ids (a handshake that never opened) change nothing.
  ledger.disconnected('never-opened')
  now = 90_000
  assert.deepEqual(ledger.counts().apigateway, { messagesIn: 0, messagesOut: 0, unitsIn: 0, unitsOut: 0, connections: 2, connectionMinutes: 4 })
})

test('Lambda: a throttled invocation is not billed; GB-s are declared memory × billed duration; a mark subtracts', () => {
  const ledger = new UsageLedger(() => 0)
  ledger.invocation(entry('send', 'ok', 12, 512))
  ledger.invocation(entry('send', 'throttled'))
  const mark = ledger.counts()
  ledger.invocation(entry('send', 'error', 3, 512))
  // An integration timeout: Lambda ran it (a request) but the gateway did not wait for its REPORT.
  ledger.invocation(entry('auth', 'timeout'))
  ledger.inbound(33 * 1024)
  ledger.outbound(10)
  const since = countsSince(ledger.counts(), mark)
  assert.deepEqual(
    Object.fromEntries(Object.entries(since.lambda).map(([name, fn]) => [name, { requests: fn.requests, billedMs: fn.billedMs, gbSeconds: Number(fn.gbSeconds.toFixed(12)) }])),
    { send: { requests: 1, billedMs: 3, gbSeconds: 0.0015 }, auth: { requests: 1, billedMs: 0, gbSeconds: 0 } },
  )
  assert.deepEqual({ ...since.apigateway, transfer: since.transferOutBytes }, { messagesIn: 1, messagesOut: 1, unitsIn: 2, unitsOut: 1, connections: 0, connectionMinutes: 0, transfer: 10 })
})

test('Cognito: a user is one monthly active user however often tokens are issued; since a mark, only new ones', () => {
  const ledger = new UsageLedger()
  ledger.activeUser('u1')
  ledger.activeUser('u1')
  const mark = ledger.counts()
  ledger.activeUser('u1')
  ledger.activeUser('u2')
  assert.deepEqual(ledger.counts().activeUsers, ['u1', 'u2'])
  assert.deepEqual(countsSince(ledger.counts(), mark).activeUsers, ['u2'])
})
