// The deploy-time settings of the stack, in one typed place. They come from the CDK context: the defaults
// in cdk.json, overridable per command (`npm run deploy -- -c chat:stage=dev`). Values given on the
// command line arrive as strings, so every non-string setting also accepts its JSON text.
import type { MfaMode } from '../src/user-pool-declaration.ts'
import { capacityPlan, defaultTargetUtilizationPercent } from './capacity-plan.ts'

export type BillingMode = 'PROVISIONED' | 'PAY_PER_REQUEST'
export type TableEncryptionMode = 'AWS_MANAGED' | 'CUSTOMER_MANAGED'

export interface CapacityRange {
  readonly min: number
  readonly max: number
}

/** Provisioned read/write capacity with target-tracking autoscaling between min and max. */
export interface CapacityConfig {
  readonly read: CapacityRange
  readonly write: CapacityRange
}

/** `false`: none; `true`: the values declared in src/api.ts; a map: those values, overridden per function. */
export type ReservedConcurrencySetting = boolean | Readonly<Record<string, number>>

/** A number: that many on the alias of every hot-path function; a map: per function. 0 = off. */
export type { ProvisionedConcurrencySetting } from '../src/provisioned-concurrency.ts'
import type { ProvisionedConcurrencySetting } from '../src/provisioned-concurrency.ts'

export interface StackConfig {
  /** API Gateway stage name; also names the stack (`{api.name}-{stage}`). */
  readonly stage: string
  /** Stages whose data (table, user pool) is retained when the stack is deleted. */
  readonly productionStages: readonly string[]
  readonly billingMode: BillingMode
  readonly tableCapacity: CapacityConfig
  readonly indexCapacity: CapacityConfig
  readonly targetUtilizationPercent: number
  readonly tableEncryption: TableEncryptionMode
  readonly reservedConcurrency: ReservedConcurrencySetting
  readonly provisionedConcurrency: ProvisionedConcurrencySetting
  /** Overrides the throttle declared in src/api.ts; `null` keeps the declared one. */
  readonly throttle: { readonly rateLimit: number; readonly burstLimit: number } | null
  readonly logRetentionDays: number
  /** Overrides the MFA mode declared in src/user-pool.ts; `null` keeps the declared one. */
  readonly mfa: MfaMode | null
  /**
   * Whether this stack sets the region's API Gateway CloudWatch role (an account-wide setting that
   * access logging needs). Turn off if the account already has one.
   */
  readonly apiGatewayCloudWatchRole: boolean
}

export const contextPrefix = 'chat:'

/** Sized from the measured cost of each flow (capacity-plan.ts): a quiet chat at the minimum, a busy one at the maximum. */
const plan = capacityPlan()

export const defaultStackConfig: StackConfig = {
  stage: 'prod',
  productionStages: ['prod'],
  billingMode: 'PROVISIONED',
  tableCapacity: plan.table,
  indexCapacity: plan.index,
  targetUtilizationPercent: defaultTargetUtilizationPercent,
  tableEncryption: 'AWS_MANAGED',
  reservedConcurrency: false,
  provisionedConcurrency: 0,
  throttle: null,
  logRetentionDays: 30,
  mfa: null,
  apiGatewayCloudWatchRole: true,
}

export class StackConfigError extends Error {
  readonly code = 'STACK_CONFIG'
}

/** CloudWatch Logs accepts only these retention periods (days). */
const retentionDays = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]

type Parsers = { readonly [K in keyof StackConfig]: (value: unknown, key: string) => StackConfig[K] }

const parsers: Parsers = {
  stage: (v, k) => {
    const s = text(v, k)
    // API Gateway allows alphanumerics, '-' and '_' (at most 128); the stage also names the stack,
    // and CloudFormation stack names allow no '_' (stackNameOf checks the whole name).
    if (!/^[A-Za-z0-9-]{1,128}$/.test(s)) throw invalid(k, 'letters, digits or - (at most 128)', v)
    return s
  },
  productionStages: (v, k) => {
    const list = json(v, k)
    if (!Array.isArray(list) || !list.every((s) => typeof s === 'string')) throw invalid(k, 'a list of stage names', v)
    return list
  },
  billingMode: (v, k) => oneOf(v, k, ['PROVISIONED', 'PAY_PER_REQUEST'] as const),
  tableCapacity: (v, k) => capacity(v, k),
  indexCapacity: (v, k) => capacity(v, k),
  targetUtilizationPercent: (v, k) => {
    const n = integer(v, k)
    // Application Auto Scaling: DynamoDB target values between 20 and 90 percent.
    if (n < 20 || n > 90) throw invalid(k, 'an integer from 20 to 90', v)
    return n
  },
  tableEncryption: (v, k) => oneOf(v, k, ['AWS_MANAGED', 'CUSTOMER_MANAGED'] as const),
  reservedConcurrency: (v, k) => {
    const value = json(v, k)
    // Reserved concurrency 0 switches a function off (every call throttled): never what a setting means here.
    return typeof value === 'boolean' ? value : countMap(value, k, 1)
  },
  provisionedConcurrency: (v, k) => {
    const value = json(v, k)
    return typeof value === 'number' ? count(value, k, 0) : countMap(value, k, 0)
  },
  throttle: (v, k) => {
    const value = json(v, k)
    if (value === null) return null
    if (!isRecord(value)) throw invalid(k, '{ "rateLimit": n, "burstLimit": n } or null', v)
    const rateLimit = value.rateLimit
    if (typeof rateLimit !== 'number' || !(rateLimit > 0)) throw invalid(`${k}.rateLimit`, 'a positive number', rateLimit)
    return { rateLimit, burstLimit: count(value.burstLimit, `${k}.burstLimit`, 1) }
  },
  logRetentionDays: (v, k) => {
    const n = integer(v, k)
    if (!retentionDays.includes(n)) throw invalid(k, `one of ${retentionDays.join(', ')}`, v)
    return n
  },
  // `-c chat:mfa=null` arrives as the text null.
  mfa: (v, k) => (v === null || v === 'null' ? null : oneOf(v, k, ['OFF', 'OPTIONAL', 'REQUIRED'] as const)),
  apiGatewayCloudWatchRole: (v, k) => {
    const value = json(v, k)
    if (typeof value !== 'boolean') throw invalid(k, 'true or false', v)
    return value
  },
}

/** Reads every setting through `get` (e.g. `key => app.node.tryGetContext(key)`); absent ones take the default. */
export function readStackConfig(get: (key: string) => unknown): StackConfig {
  const entries = (Object.keys(parsers) as (keyof StackConfig)[]).map((name) => {
    const key = `${contextPrefix}${name}`
    const raw = get(key)
    return [name, raw === undefined ? defaultStackConfig[name] : parsers[name](raw, key)] as const
  })
  return Object.fromEntries(entries) as unknown as StackConfig
}

/**
 * The stack's name, `{api.name}-{stage}`, which also names the Cognito user pool: CloudFormation
 * wants a letter, then letters, digits and '-', at most 128 characters; Cognito's pool names may be
 * 128 characters long.
 */
export function stackNameOf(apiName: string, stage: string): string {
  const name = `${apiName}-${stage}`
  if (!/^[A-Za-z][A-Za-z0-9-]*$/.test(name) || name.length > 128) {
    throw new StackConfigError(
      `Context chat:stage "${stage}" makes the stack (and user pool) name "${name}", which CloudFormation refuses: a letter, then letters, digits and -, at most 128 characters in all`,
    )
  }
  return name
}

export function isProductionStage(config: StackConfig): boolean {
  return config.productionStages.includes(config.stage)
}

function capacity(v: unknown, k: string): CapacityConfig {
  const value = json(v, k)
  if (!isRecord(value)) throw invalid(k, '{ "read": { "min", "max" }, "write": { "min", "max" } }', v)
  return { read: range(value.read, `${k}.read`), write: range(value.write, `${k}.write`) }
}

function range(v: unknown, k: string): CapacityRange {
  if (!isRecord(v)) throw invalid(k, '{ "min": n, "max": n }', v)
  const min = count(v.min, `${k}.min`, 1)
  const max = count(v.max, `${k}.max`, 1)
  if (max < min) throw invalid(`${k}.max`, `at least min (${min})`, max)
  return { min, max }
}

function countMap(value: unknown, k: string, least: number): Readonly<Record<string, number>> {
  if (!isRecord(value)) throw invalid(k, 'a number, true/false or a map of function name to number', value)
  return Object.fromEntries(Object.entries(value).map(([name, n]) => [name, count(n, `${k}.${name}`, least)]))
}

function count(v: unknown, k: string, least: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < least) throw invalid(k, `an integer ≥ ${least}`, v)
  return v
}

function integer(v: unknown, k: string): number {
  const value = json(v, k)
  if (typeof value !== 'number' || !Number.isInteger(value)) throw invalid(k, 'an integer', v)
  return value
}

function text(v: unknown, k: string): string {
  if (typeof v !== 'string') throw invalid(k, 'a string', v)
  return v
}

function oneOf<T extends string>(v: unknown, k: string, options: readonly T[]): T {
  if (typeof v !== 'string' || !(options as readonly string[]).includes(v)) throw invalid(k, options.join(' or '), v)
  return v as T
}

/** A string from the command line stands for its JSON value (`-c chat:provisionedConcurrency=2`). */
function json(v: unknown, k: string): unknown {
  if (typeof v !== 'string') return v
  try {
    return JSON.parse(v)
  } catch {
    throw invalid(k, 'a JSON value', v)
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function invalid(key: string, expected: string, got: unknown): StackConfigError {
  return new StackConfigError(`Context ${key} must be ${expected}; got ${JSON.stringify(got)}`)
}
