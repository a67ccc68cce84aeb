// Who gets reserved and provisioned concurrency, from the declaration and the stack config. Both are
// off by default: a new account's Lambda concurrency quota can be as low as 10, and Lambda refuses
// reserved concurrency that would leave fewer than 100 unreserved, so a default deploy must ask for none.
import type { ApiDeclaration } from '../src/api-declaration.ts'
import { provisionedConcurrency } from '../src/provisioned-concurrency.ts'
import { StackConfigError, type StackConfig } from './stack-config.ts'

export interface FunctionConcurrency {
  /** Reserved concurrency on the function (a cap and a guarantee); absent = unreserved. */
  readonly reserved?: number
  /** Provisioned concurrency on the function's alias (pre-initialised sandboxes); absent = none. */
  readonly provisioned?: number
}

export function concurrencyPlan(
  api: ApiDeclaration,
  config: Pick<StackConfig, 'reservedConcurrency' | 'provisionedConcurrency'>,
): Map<string, FunctionConcurrency> {
  const names = Object.keys(api.functions)
  checkNames(names, config.reservedConcurrency, 'chat:reservedConcurrency')
  checkNames(names, config.provisionedConcurrency, 'chat:provisionedConcurrency')
  const provisionedPlan = provisionedConcurrency(api, config.provisionedConcurrency)
  const plan = new Map<string, FunctionConcurrency>()
  for (const [name, fn] of Object.entries(api.functions)) {
    const reserved = reservedFor(name, fn.reservedConcurrency, config.reservedConcurrency)
    const provisioned = provisionedPlan.get(name)
    if (reserved !== undefined && provisioned !== undefined && provisioned > reserved) {
      throw new StackConfigError(
        `Function ${name}: provisioned concurrency ${provisioned} exceeds its reserved concurrency ${reserved}; Lambda rejects that`,
      )
    }
    plan.set(name, { ...(reserved !== undefined && { reserved }), ...(provisioned !== undefined && { provisioned }) })
  }
  return plan
}

function reservedFor(name: string, declared: number | undefined, setting: StackConfig['reservedConcurrency']): number | undefined {
  if (setting === false) return undefined
  if (setting === true) return declared
  return setting[name] ?? declared
}

function checkNames(names: readonly string[], setting: boolean | number | Readonly<Record<string, number>>, key: string): void {
  if (typeof setting !== 'object') return
  const unknown = Object.keys(setting).filter((name) => !names.includes(name))
  if (unknown.length > 0) {
    throw new StackConfigError(`Context ${key} names ${unknown.join(', ')}, which src/api.ts does not declare (functions: ${names.join(', ')})`)
  }
}
