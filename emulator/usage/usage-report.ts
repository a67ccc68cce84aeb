// Units priced: what a run (since start or since a mark) would have cost on AWS, per service and
// per function and table, in both DynamoDB billing modes, and where its peaks passed the capacity
// the stack would provision. Free tiers are taken off only when asked (`freeTier`), and then whole:
// the run is treated as the month's only use.
import type { DynamoUsage } from '../dynamodb/local-dynamo.ts'
import type { RateCard, PriceId } from './rate-card.ts'
import type { UsageCounts } from './usage-ledger.ts'

export interface Capacity {
  readonly read: number
  readonly write: number
}

export interface PricingInputs {
  readonly since: string
  readonly from: number
  readonly counts: UsageCounts
  /** Caller → table or `table/index` → units, in the window. */
  readonly dynamo: DynamoUsage
  /** Table or `table/index` → the most units spent in any one second since start, and requests refused as over capacity (when enforced). */
  readonly peaks: Readonly<Record<string, Capacity & { readonly throttled?: number }>>
  readonly card: RateCard
  /** Function → declared memory in MB. */
  readonly memoryMb: Readonly<Record<string, number>>
  /** Function → provisioned concurrency. */
  readonly provisionedConcurrency: ReadonlyMap<string, number>
  /** Table or `table/index` → provisioned capacity the stack deploys (its autoscaling minimum). */
  readonly provisionedCapacity: Readonly<Record<string, Capacity>>
  readonly freeTier: boolean
}

export interface FunctionBill {
  readonly requests: number
  readonly billedMs: number
  readonly gbSeconds: number
  readonly provisionedConcurrency?: number
  readonly provisionedGbSeconds?: number
  readonly logBytes: number
  readonly usd: number
}

export interface TableBill {
  readonly read: number
  readonly write: number
  readonly peakReadPerSecond: number
  readonly peakWritePerSecond: number
  readonly provisioned?: Capacity
  /** Some second spent more than provisioned: on AWS that throttles once burst capacity is spent. */
  readonly overProvisioned: boolean
  /** Requests refused with ProvisionedThroughputExceededException since start (`enforceProvisionedCapacity`). */
  readonly throttledRequests: number
}

export interface UsageReport {
  readonly since: string
  readonly from: string
  readonly to: string
  readonly seconds: number
  readonly region: string
  readonly freeTier: boolean
  readonly apigateway: { readonly messagesIn: number; readonly messagesOut: number; readonly messageUnits: number; readonly connections: number; readonly connectionMinutes: number; readonly usd: number }
  readonly lambda: { readonly requests: number; readonly gbSeconds: number; readonly functions: Readonly<Record<string, FunctionBill>>; readonly usd: number }
  readonly dynamodb: {
    readonly tables: Readonly<Record<string, TableBill>>
    readonly byFunction: DynamoUsage
    readonly onDemandUsd: number
    /** Provisioned capacity for the window's length; absent when no capacity is configured. */
    readonly provisionedUsd?: number
  }
  readonly cognito: { readonly monthlyActiveUsers: number; readonly usd: number }
  readonly logs: { readonly bytes: number; readonly usd: number }
  readonly dataTransferOut: { readonly bytes: number; readonly usd: number }
  readonly total: { readonly onDemandUsd: number; readonly provisionedUsd?: number }
  readonly warnings: readonly string[]
}

const GB = 1024 ** 3

export function priceUsage(inputs: PricingInputs): UsageReport {
  const { card, counts } = inputs
  const seconds = Math.max(0, (counts.at - inputs.from) / 1000)
  const price = (id: PriceId, units: number) => (units * card.prices[id].usd) / card.prices[id].per
  const free = (id: keyof RateCard['freeTier']) => (inputs.freeTier ? card.freeTier[id].units : 0)
  // The free tier comes off the account's total, not each function's: spread over the parts by share.
  const afterFree = (units: number, id: keyof RateCard['freeTier']) => Math.max(0, units - free(id))

  const api = counts.apigateway
  const messageUnits = api.unitsIn + api.unitsOut
  const apigatewayUsd = price('apigatewayMessages', afterFree(messageUnits, 'apigatewayMessages')) + price('apigatewayConnectionMinutes', afterFree(api.connectionMinutes, 'apigatewayConnectionMinutes'))

  const names = new Set([...Object.keys(counts.lambda), ...inputs.provisionedConcurrency.keys()])
  const totalRequests = Object.values(counts.lambda).reduce((n, fn) => n + fn.requests, 0)
  const onDemandGbSeconds = Object.entries(counts.lambda).reduce((n, [name, fn]) => n + (inputs.provisionedConcurrency.has(name) ? 0 : fn.gbSeconds), 0)
  const requestShare = totalRequests > 0 ? afterFree(totalRequests, 'lambdaRequests') / totalRequests : 0
  const durationShare = onDemandGbSeconds > 0 ? afterFree(onDemandGbSeconds, 'lambdaGbSeconds') / onDemandGbSeconds : 0
  const functions: Record<string, FunctionBill> = {}
  for (const name of [...names].sort()) {
    const fn = counts.lambda[name] ?? { requests: 0, billedMs: 0, gbSeconds: 0, logBytes: 0 }
    const concurrency = inputs.provisionedConcurrency.get(name)
    const memoryGb = (inputs.memoryMb[name] ?? 0) / 1024
    // Provisioned concurrency: billed for as long as it is configured, and its invocations at the lower duration price
    // [INF: all of them here; on AWS only those that ran on a provisioned environment].
    const provisionedGbSeconds = concurrency ? concurrency * memoryGb * seconds : undefined
    const usd =
      // Lambda's free tier does not apply to functions with provisioned concurrency.
      price('lambdaRequests', fn.requests * (concurrency ? 1 : requestShare)) +
      (concurrency ? price('lambdaProvisionedDurationGbSeconds', fn.gbSeconds) + price('lambdaProvisionedGbSeconds', provisionedGbSeconds!) : price('lambdaGbSeconds', fn.gbSeconds * durationShare))
    functions[name] = { requests: fn.requests, billedMs: fn.billedMs, gbSeconds: fn.gbSeconds, ...(concurrency ? { provisionedConcurrency: concurrency, provisionedGbSeconds } : {}), logBytes: fn.logBytes, usd }
  }
  const lambdaUsd = Object.values(functions).reduce((n, fn) => n + fn.usd, 0)

  const tables: Record<string, TableBill> = {}
  const keys = new Set([...Object.values(inputs.dynamo).flatMap((t) => Object.keys(t)), ...Object.keys(inputs.provisionedCapacity)])
  const warnings: string[] = []
  for (const key of [...keys].sort()) {
    const sum = (kind: 'read' | 'write') => Object.values(inputs.dynamo).reduce((n, t) => n + (t[key]?.[kind] ?? 0), 0)
    const peak = inputs.peaks[key] ?? { read: 0, write: 0 }
    const provisioned = inputs.provisionedCapacity[key]
    const over = provisioned !== undefined && (peak.read > provisioned.read || peak.write > provisioned.write)
    if (over) {
      warnings.push(
        `${key}: ${peak.read} RCU / ${peak.write} WCU in one second against ${provisioned.read} RCU / ${provisioned.write} WCU provisioned: ` +
          'on AWS that is throttled (ProvisionedThroughputExceededException) once the burst capacity (up to 300 s of unused capacity) is spent',
      )
    }
    const throttledRequests = inputs.peaks[key]?.throttled ?? 0
    if (throttledRequests > 0) warnings.push(`${key}: ${throttledRequests} requests refused with ProvisionedThroughputExceededException (provisioned capacity enforced)`)
    tables[key] = { read: sum('read'), write: sum('write'), peakReadPerSecond: peak.read, peakWritePerSecond: peak.write, ...(provisioned ? { provisioned } : {}), overProvisioned: over, throttledRequests }
  }
  const reads = Object.values(tables).reduce((n, t) => n + t.read, 0)
  const writes = Object.values(tables).reduce((n, t) => n + t.write, 0)
  const onDemandUsd = price('dynamodbReadRequestUnits', reads) + price('dynamodbWriteRequestUnits', writes)
  const capacities = Object.values(inputs.provisionedCapacity)
  const hours = seconds / 3600
  const provisionedUsd =
    capacities.length === 0
      ? undefined
      : price('dynamodbRcuHours', afterFree(capacities.reduce((n, c) => n + c.read, 0), 'dynamodbRcu') * hours) +
        price('dynamodbWcuHours', afterFree(capacities.reduce((n, c) => n + c.write, 0), 'dynamodbWcu') * hours)

  const mau = counts.activeUsers.length
  const cognitoUsd = price('cognitoMau', afterFree(mau, 'cognitoMau'))
  const logsUsd = price('logsIngestionGb', afterFree(counts.logBytes / GB, 'logsIngestionGb'))
  const transferUsd = price('dataTransferOutGb', afterFree(counts.transferOutBytes / GB, 'dataTransferOutGb'))
  const rest = apigatewayUsd + lambdaUsd + cognitoUsd + logsUsd + transferUsd
  return {
    since: inputs.since,
    from: new Date(inputs.from).toISOString(),
    to: new Date(counts.at).toISOString(),
    seconds,
    region: card.region,
    freeTier: inputs.freeTier,
    apigateway: { messagesIn: api.messagesIn, messagesOut: api.messagesOut, messageUnits, connections: api.connections, connectionMinutes: api.connectionMinutes, usd: apigatewayUsd },
    lambda: { requests: totalRequests, gbSeconds: Object.values(counts.lambda).reduce((n, fn) => n + fn.gbSeconds, 0), functions, usd: lambdaUsd },
    dynamodb: { tables, byFunction: inputs.dynamo, onDemandUsd, ...(provisionedUsd === undefined ? {} : { provisionedUsd }) },
    cognito: { monthlyActiveUsers: mau, usd: cognitoUsd },
    logs: { bytes: counts.logBytes, usd: logsUsd },
    dataTransferOut: { bytes: counts.transferOutBytes, usd: transferUsd },
    total: { onDemandUsd: rest + onDemandUsd, ...(provisionedUsd === undefined ? {} : { provisionedUsd: rest + provisionedUsd }) },
    warnings,
  }
}

/** Caller → key → units now, less what they were at a mark. */
export function dynamoSince(now: DynamoUsage, mark: DynamoUsage): DynamoUsage {
  const out: Record<string, Record<string, { read: number; write: number }>> = {}
  for (const [caller, keys] of Object.entries(now)) {
    for (const [key, units] of Object.entries(keys)) {
      const before = mark[caller]?.[key] ?? { read: 0, write: 0 }
      const diff = { read: units.read - before.read, write: units.write - before.write }
      if (diff.read > 0 || diff.write > 0) (out[caller] ??= {})[key] = diff
    }
  }
  return out
}
