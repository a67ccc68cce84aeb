// The provisioned capacity the stack would deploy, per declared table or `table/index`: the usage
// report prices provisioned mode with it and compares each second's peak with it. A range (as the
// stack's autoscaling setting is written, `{"read":{"min":2,"max":196},...}`) counts at its minimum:
// what is provisioned before autoscaling reacts, which takes minutes.
import type { TableDeclaration } from '../../src/tables.ts'
import type { EnforcedCapacity } from '../dynamodb/local-dynamo.ts'
import type { Capacity } from './usage-report.ts'

type Units = number | { readonly min: number; readonly max?: number }

export type ProvisionedCapacitySetting = Readonly<Record<string, { readonly read: Units; readonly write: Units }>>

export class ProvisionedCapacityError extends Error {
  readonly code = 'INVALID_PROVISIONED_CAPACITY'
}

export function checkProvisionedCapacity(tables: Readonly<Record<string, TableDeclaration>>, setting: unknown): Record<string, Capacity> {
  if (typeof setting !== 'object' || setting === null || Array.isArray(setting)) throw new ProvisionedCapacityError(`Provisioned capacity must be a map of table (or table/index) to {read, write}, got ${JSON.stringify(setting)}`)
  const known = Object.entries(tables).flatMap(([name, table]) => [name, ...table.globalIndexes.map((index) => `${name}/${index.indexName}`)])
  const out: Record<string, Capacity> = {}
  for (const [key, value] of Object.entries(setting)) {
    if (!known.includes(key)) throw new ProvisionedCapacityError(`Provisioned capacity names ${key}, which is no declared table or index (declared: ${known.join(', ') || 'none'})`)
    const { read, write } = (value ?? {}) as { read?: unknown; write?: unknown }
    out[key] = { read: units(read, `${key}.read`), write: units(write, `${key}.write`) }
  }
  return out
}

/** What dynalite's thread enforces, when asked; enforcing nothing is a mistake worth saying. */
export function enforcedCapacity(capacity: Record<string, Capacity>, setting: boolean | { readonly burstSeconds?: number } | undefined): EnforcedCapacity | undefined {
  if (!setting) return undefined
  if (Object.keys(capacity).length === 0) throw new ProvisionedCapacityError('enforceProvisionedCapacity needs provisionedCapacity: which tables and indexes have how much')
  const burstSeconds = setting === true ? 300 : (setting.burstSeconds ?? 300)
  if (!Number.isFinite(burstSeconds) || burstSeconds < 0) throw new ProvisionedCapacityError(`enforceProvisionedCapacity.burstSeconds must be a number ≥ 0, got ${burstSeconds}`)
  return { capacity, burstSeconds }
}

function units(value: unknown, where: string): number {
  const n = typeof value === 'object' && value !== null && 'min' in value ? (value as { min: unknown }).min : value
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) throw new ProvisionedCapacityError(`Provisioned capacity ${where} must be a whole number ≥ 1 or {min, max}, got ${JSON.stringify(value)}`)
  return n
}
