// The benchmark report's arithmetic: percentiles, ratios to plain `ws`, the table's cells. Pure
// functions, no processes started.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { baselineOf, figure, figuresOf, memoryTable, ratio, resultsTable, rowCells, times, type Result } from './report.ts'
import type { Measurement } from './scenarios.ts'
import { percentile, summarize } from './stats.ts'

const measurement = (over: Partial<Measurement> = {}): Measurement => ({
  unit: 'delivery',
  expected: 1000,
  received: 1000,
  seconds: 2,
  latency: { p50: 2, p99: 10, max: 12 },
  cpuMicros: 20_000,
  errors: 0,
  ...over,
})

const result = (systemId: Result['systemId'], m: Measurement | undefined, over: Partial<Result> = {}): Result => ({
  scenarioId: 'fanout100',
  scenarioLabel: 'fan-out to 100',
  systemId,
  systemName: systemId === 'ws' ? 'plain ws' : systemId,
  ...(m ? { measurement: m } : { failure: 'emulator exited' }),
  peaks: { pssMb: 20, rssMb: 50 },
  ...over,
})

test('percentiles: nearest rank; an empty sample has none', () => {
  const sorted = Array.from({ length: 100 }, (_, i) => i + 1)
  assert.equal(percentile(sorted, 50), 50)
  assert.equal(percentile(sorted, 99), 99)
  assert.equal(percentile([7], 99), 7)
  assert.ok(Number.isNaN(percentile([], 50)))
  assert.deepEqual(summarize([3, 1, 2]), { p50: 2, p99: 3, max: 3 })
})

test('ratio is system ÷ ws, and undefined (NaN) without a usable base', () => {
  assert.equal(ratio(500, 1000), 0.5)
  assert.equal(ratio(30, 10), 3)
  assert.ok(Number.isNaN(ratio(1, 0)))
  assert.ok(Number.isNaN(ratio(1, undefined)))
  assert.ok(Number.isNaN(ratio(Number.NaN, 2)))
})

test('ratios and figures read at a glance', () => {
  assert.equal(times(0.0523), '0.052×')
  assert.equal(times(0.5), '0.5×')
  assert.equal(times(2.34), '2.3×')
  assert.equal(times(41.4), '41×')
  assert.equal(times(2481.2), '2,481×')
  assert.equal(times(Number.NaN), 'n/a')
  assert.equal(figure(36_120.4), '36,120')
  assert.equal(figure(22.34), '22.3')
  assert.equal(figure(0.414), '0.41')
  assert.equal(figure(Number.POSITIVE_INFINITY), 'n/a')
})

test('figures: rate from what arrived, loss against what was expected, CPU per delivery', () => {
  const f = figuresOf(result('sample', measurement({ expected: 1000, received: 900, seconds: 3, cpuMicros: 90_000 })))!
  assert.equal(f.rate, 300)
  assert.equal(f.lost, 100)
  assert.equal(f.lostPercent, 10)
  assert.equal(f.cpuPerUnit, 100)
  assert.equal(f.peakPssMb, 20)
  assert.equal(figuresOf(result('sample', undefined)), undefined)
})

test('each row is compared with plain ws in the same scenario only', () => {
  const ws = result('ws', measurement({ received: 1000, seconds: 0.1, cpuMicros: 10_000 }))
  const sample = result('sample', measurement({ received: 1000, seconds: 2, cpuMicros: 1_000_000, latency: { p50: 40, p99: 100, max: 200 } }), { peaks: { pssMb: 160, rssMb: 200 } })
  const otherScenario = result('chat', measurement(), { scenarioId: 'steady50x0.5' })
  const results = [ws, sample, otherScenario]
  assert.equal(baselineOf(results, sample), ws)
  assert.equal(baselineOf(results, ws), undefined)
  assert.equal(baselineOf(results, otherScenario), undefined)

  const [, , rate, p50, p99, lost, cpu, pss, rss] = rowCells(sample, ws)
  assert.equal(rate, '500 deliveries/s (0.05×)')
  assert.equal(p50, '40.0 (20×)')
  assert.equal(p99, '100 (10×)')
  assert.equal(lost, '0 of 1,000 (0 %)')
  assert.equal(cpu, '1,000 (100×)')
  assert.equal(pss, '160 (8.0×)')
  assert.equal(rss, '200 (4.0×)')
  // Without a ws row there is nothing to divide by.
  assert.equal(rowCells(otherScenario, undefined)[2], '500 deliveries/s')
})

test('the table: a header, a separator and one row per result, failures included', () => {
  const ws = result('ws', measurement({ unit: 'connect', errors: 2, received: 998 }), { scenarioId: 'storm', scenarioLabel: 'connect storm' })
  const failed = result('chat', undefined, { scenarioId: 'storm', scenarioLabel: 'connect storm' })
  const lines = resultsTable([ws, failed]).split('\n')
  assert.equal(lines.length, 4)
  assert.match(lines[0], /^\| scenario \| system \| throughput/)
  assert.match(lines[1], /^\| --- \|/)
  assert.match(lines[2], /\| 499 connects\/s \|.*\| 2 of 1,000 \(0\.2 %\) \|.*2 connects failed \|$/)
  assert.match(lines[3], /\| chat \| failed: emulator exited \|/)
  for (const line of lines) assert.equal(line.split(' | ').length, 10, line)
})

test('the memory table: idle, with the storm connections open, and the heaviest rung peak, per system', () => {
  const storm = result('sample', measurement({ unit: 'connect', memoryAfter: { pssMb: 147, rssMb: 185 } }), {
    scenarioId: 'storm',
    idle: { pssMb: 83.6, rssMb: 122 },
    idleChildren: { pssMb: 91.9, rssMb: 96.6, processes: 1 },
  })
  const heavy = result('sample', measurement(), { scenarioId: 'steady50x2', peaks: { pssMb: 250, rssMb: 290 } })
  const table = memoryTable([storm, heavy], 'storm', 'steady50x2', [{ id: 'sample', name: 'AWS sample' }, { id: 'chat', name: 'chat' }], 1000)
  const [, , sample, chat] = table.split('\n')
  assert.equal(sample, '| AWS sample | PSS 83.6, RSS 122 | PSS 147, RSS 185 | PSS 250, RSS 290 | 1: PSS 91.9, RSS 96.6 |')
  assert.equal(chat, '| chat | not measured | not measured | not measured | none |')
})
