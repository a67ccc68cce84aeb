import { test } from 'node:test'
import assert from 'node:assert/strict'
import { prettyLogger, type InvocationLogEntry } from './invocation-log.ts'

const entry: InvocationLogEntry = {
  time: '2024-01-20T11:55:08.123Z',
  routeKey: 'sendmessage',
  function: 'sendmessage',
  connectionId: 'L0SM9cOFvHcCIhw=',
  requestId: 'JC1dgf9yoAMCK-g=',
  status: 'ok',
  durationMs: 3.14159,
}

function lines(entries: InvocationLogEntry[]): string[] {
  const out: string[] = []
  const log = prettyLogger((line) => out.push(line))
  for (const e of entries) log(e)
  return out
}

test('design §4: one readable line per invocation: time, route, status, duration, connection and request ids', () => {
  assert.deepEqual(lines([entry]), ['11:55:08.123 sendmessage  ok            3.1 ms  conn=L0SM9cOFvHcCIhw= req=JC1dgf9yoAMCK-g='])
})

test('design §4: a failed invocation carries its error; a function the route does not name is shown', () => {
  assert.deepEqual(
    lines([
      { ...entry, routeKey: '$connect', function: 'connect', status: '502', error: 'Error: boom' },
      { ...entry, routeKey: '$default', function: 'fallback', status: 'timeout', durationMs: 29000 },
    ]),
    [
      '11:55:08.123 $connect     502           3.1 ms  conn=L0SM9cOFvHcCIhw= req=JC1dgf9yoAMCK-g=  Error: boom',
      '11:55:08.123 $default     timeout   29000.0 ms  conn=L0SM9cOFvHcCIhw= req=JC1dgf9yoAMCK-g= fn=fallback',
    ],
  )
})

test("Lambda's REPORT fields: billed duration, memory used of the memory size, and the init duration of a cold start", () => {
  assert.deepEqual(
    lines([
      { ...entry, report: { durationMs: 3.1, billedDurationMs: 215, memorySizeMb: 256, maxMemoryUsedMb: 31, initDurationMs: 211.47 } },
      { ...entry, report: { durationMs: 3.1, billedDurationMs: 4, memorySizeMb: 256, maxMemoryUsedMb: 31 } },
    ]),
    [
      '11:55:08.123 sendmessage  ok            3.1 ms  conn=L0SM9cOFvHcCIhw= req=JC1dgf9yoAMCK-g=  billed=215ms mem=31/256MB init=211.5ms',
      '11:55:08.123 sendmessage  ok            3.1 ms  conn=L0SM9cOFvHcCIhw= req=JC1dgf9yoAMCK-g=  billed=4ms mem=31/256MB',
    ],
  )
})
