// The benchmark's cost per million: the emulator's usage report divided by what a scenario sent.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { defaultRateCard } from '../../emulator/usage/rate-card.ts'
import { UsageLedger } from '../../emulator/usage/usage-ledger.ts'
import { priceUsage } from '../../emulator/usage/usage-report.ts'
import type { Result } from './report.ts'
import { costTable, scenarioCost } from './usage-cost.ts'

function report() {
  const ledger = new UsageLedger(() => 1000)
  // 10 messages sent to a room of 3: each one in, three out.
  for (let i = 0; i < 10; i++) {
    ledger.inbound(60)
    for (let j = 0; j < 3; j++) ledger.outbound(80)
  }
  return priceUsage({ since: 'm1', from: 0, counts: ledger.counts(), dynamo: { send: { chat: { read: 20, write: 50 } } }, peaks: {}, card: defaultRateCard, memoryMb: {}, provisionedConcurrency: new Map(), provisionedCapacity: {}, freeTier: false })
}

test('cost per million: the run\'s on-demand total over the messages sent (or the connects), with its parts in the table', () => {
  const usage = report()
  const cost = scenarioCost(usage, 'delivery', 10)!
  assert.equal(cost.per, 'message')
  assert.equal(cost.usdPerMillion.toFixed(4), ((usage.total.onDemandUsd / 10) * 1e6).toFixed(4))
  assert.equal(scenarioCost(usage, 'delivery', 0), undefined)
  assert.equal(scenarioCost(usage, 'connect', 5)!.per, 'connect')
  const row: Result & { cost: typeof cost } = {
    scenarioId: 'fanout10',
    scenarioLabel: 'fan-out | to 3',
    systemId: 'sample',
    systemName: 'AWS sample on emulator',
    measurement: { unit: 'delivery', expected: 30, received: 30, seconds: 1, latency: { p50: 1, p99: 2, max: 3 }, cpuMicros: 1, errors: 0, sent: 10 },
    cost,
  }
  // A row without a cost (plain ws) is left out.
  const { cost: _none, ...plain } = { ...row, systemId: 'ws' as const, systemName: 'plain ws' }
  const lines = costTable([row, plain]).split('\n')
  assert.equal(lines.length, 3)
  // 4 billed messages per message: $4.00 per million at $1.00 per million messages.
  assert.equal(lines[2], `| fan-out \\| to 3 | AWS sample on emulator | ${lines[2].split(' | ')[2]} | $4.00 | $0 | $3.38 | ${lines[2].split(' | ')[6]} | 4.0 |`)
  assert.match(lines[2].split(' | ')[2], /^\$7\.\d+ per million messages$/)
})
