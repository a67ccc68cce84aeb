import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { defaultRateCard } from './rate-card.ts'
import { applyRateCard, loadRateCard } from './rate-card-file.ts'
import { UsageLedger } from './usage-ledger.ts'
import { priceUsage, type PricingInputs } from './usage-report.ts'
import { usageBill, usageLine } from './usage-format.ts'

/** Equal to the last few of a dollar's 15 significant digits (sums of floats). */
const near = (actual: number | undefined, expected: number) => assert.ok(actual !== undefined && Math.abs(actual - expected) < 1e-12, `${actual} ≠ ${expected}`)

function inputs(overrides: Partial<PricingInputs> = {}): PricingInputs {
  const ledger = new UsageLedger(() => 3_600_000)
  for (let i = 0; i < 4; i++) ledger.invocation({ time: '', routeKey: 'send', function: 'send', connectionId: 'c', requestId: 'r', status: 'ok', durationMs: 1, report: { durationMs: 99.2, billedDurationMs: 100, memorySizeMb: 1024, maxMemoryUsedMb: 70 } })
  ledger.invocation({ time: '', routeKey: '$connect', function: 'auth', connectionId: 'c', requestId: 'r', status: 'allow', durationMs: 1, report: { durationMs: 9.1, billedDurationMs: 10, memorySizeMb: 512, maxMemoryUsedMb: 70 } })
  ledger.inbound(100)
  ledger.outbound(33 * 1024)
  return {
    since: 'start',
    from: 0,
    counts: ledger.counts(),
    dynamo: { send: { chat: { read: 2, write: 5 } }, '': { 'chat/gsi1': { read: 0.5, write: 1 } } },
    peaks: { chat: { read: 2, write: 5 }, 'chat/gsi1': { read: 0.5, write: 1 } },
    card: defaultRateCard,
    memoryMb: { send: 1024, auth: 512 },
    provisionedConcurrency: new Map([['auth', 2]]),
    provisionedCapacity: { chat: { read: 2, write: 4 }, 'chat/gsi1': { read: 1, write: 1 } },
    freeTier: false,
    ...overrides,
  }
}

test('each service is priced from its units: list prices, an hour of provisioned concurrency and capacity', () => {
  const report = priceUsage(inputs())
  assert.equal(report.seconds, 3600)
  assert.equal(report.apigateway.messageUnits, 3)
  near(report.apigateway.usd, 3 / 1e6)
  // send: 4 requests, 0.4 GB-s on demand; auth: 1 request, its run at the provisioned duration price, 2 × 0.5 GB for an hour configured.
  near(report.lambda.functions.send.usd, 4 * 0.2e-6 + 0.4 * 0.0000133334)
  assert.equal(report.lambda.functions.auth.provisionedGbSeconds, 3600)
  near(report.lambda.functions.auth.usd, 0.2e-6 + 0.005 * 0.0000077778 + 3600 * 0.0000033334)
  near(report.dynamodb.onDemandUsd, 2.5 * 0.125e-6 + 6 * 0.625e-6)
  near(report.dynamodb.provisionedUsd, 3 * 0.00013 + 5 * 0.00065)
  assert.deepEqual(report.dynamodb.tables.chat, { read: 2, write: 5, peakReadPerSecond: 2, peakWritePerSecond: 5, provisioned: { read: 2, write: 4 }, overProvisioned: true, throttledRequests: 0 })
  assert.equal(report.warnings.length, 1)
  assert.match(report.warnings[0], /^chat: 2 RCU \/ 5 WCU in one second against 2 RCU \/ 4 WCU provisioned/)
  near(report.total.provisionedUsd! - report.total.onDemandUsd, report.dynamodb.provisionedUsd! - report.dynamodb.onDemandUsd)
  assert.match(usageLine(report), /^usage: \$\S+ on-demand, \$\S+ provisioned on AWS \(us-east-1\) — 3 messages, 0 connection-min, 5 Lambda requests, 0.405 GB-s, 2.5 RRU, 6 WRU — 1 over provisioned capacity$/)
  assert.match(usageBill(report), /\n {4}auth +\S+ +1 requests, 10 ms billed, 0.005 GB-s, provisioned 2 \(3,600 GB-s configured\)\n/)
})

test('free tiers come off only when asked, and never off a function with provisioned concurrency', () => {
  const report = priceUsage(inputs({ freeTier: true }))
  assert.equal(report.apigateway.usd, 0)
  assert.equal(report.lambda.functions.send.usd, 0)
  assert.equal(report.lambda.functions.auth.usd, priceUsage(inputs()).lambda.functions.auth.usd)
  // 25 RCU and 25 WCU of provisioned capacity are free: all of it.
  assert.equal(report.dynamodb.provisionedUsd, 0)
  assert.equal(report.dynamodb.onDemandUsd, priceUsage(inputs()).dynamodb.onDemandUsd)
})

test('a rate card override replaces the figures it names and says they are overridden; bad ones are refused with what is wrong', async (t) => {
  const card = applyRateCard({ region: 'eu-west-1', prices: { lambdaGbSeconds: { usd: 0.0000166667, note: 'x86' } }, freeTier: { cognitoMau: { units: 50_000 } } }, 'test card')
  assert.deepEqual(card.prices.lambdaGbSeconds, { ...defaultRateCard.prices.lambdaGbSeconds, usd: 0.0000166667, source: 'test card: prices.lambdaGbSeconds', checked: 'overridden', note: 'x86' })
  assert.equal(card.freeTier.cognitoMau.units, 50_000)
  assert.equal(card.region, 'eu-west-1')
  assert.deepEqual(card.prices.lambdaRequests, defaultRateCard.prices.lambdaRequests)
  const refused = (override: unknown, message: string) => assert.throws(() => applyRateCard(override, 'card'), { code: 'INVALID_RATE_CARD', message })
  refused([], 'card must be a JSON object, got []')
  refused({ price: {} }, 'card has unknown key price (known: region, prices, freeTier)')
  refused({ prices: { lambdaGbSecond: { usd: 1 } } }, `card: prices has unknown key lambdaGbSecond (known: ${Object.keys(defaultRateCard.prices).join(', ')})`)
  refused({ prices: { lambdaRequests: { usd: -1 } } }, 'card: prices.lambdaRequests.usd must be a number ≥ 0, got -1')
  refused({ prices: { lambdaRequests: { per: 0 } } }, 'card: prices.lambdaRequests.per must be a number ≥ 0 and not 0, got 0')
  refused({ freeTier: { cognitoMau: { units: 1, usd: 1 } } }, 'card: freeTier.cognitoMau has unknown key usd (known: units, unit, source, checked, note)')
  refused({ region: 3 }, 'card: region must be a non-empty string')
  const dir = await mkdtemp(join(tmpdir(), 'rate-card-'))
  t.after(() => rm(dir, { recursive: true, force: true }))
  await writeFile(join(dir, 'bad.json'), '{"prices":')
  await assert.rejects(loadRateCard(join(dir, 'bad.json')), (error: Error & { code?: string }) => error.code === 'INVALID_RATE_CARD' && error.message.startsWith(`rate card ${join(dir, 'bad.json')} is not JSON:`))
  await assert.rejects(loadRateCard(join(dir, 'missing.json')), (error: Error & { code?: string }) => error.code === 'INVALID_RATE_CARD' && error.message.startsWith(`rate card ${join(dir, 'missing.json')} cannot be read:`))
  await writeFile(join(dir, 'ok.json'), '{"prices":{"dataTransferOutGb":{"usd":0}}}')
  assert.equal((await loadRateCard(join(dir, 'ok.json'))).prices.dataTransferOutGb.usd, 0)
})
