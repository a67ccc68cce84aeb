// Which functions get provisioned concurrency, and how much, from one setting: a number puts that
// many on every hot-path function, a map names functions. The CDK stack reads it from the context
// `chat:provisionedConcurrency` (infra/concurrency-plan.ts); the emulator from the same value
// (`--provisioned-concurrency`), so both keep the same sandboxes initialised.
import type { ApiDeclaration } from './api-declaration.ts'

export type ProvisionedConcurrencySetting = number | Readonly<Record<string, number>>

/**
 * The hot path: every function marked `hotPath`, plus the authorizer, which runs before every
 * `$connect` and so adds its cold start to every handshake.
 */
export function hotPathFunctions(api: ApiDeclaration): Set<string> {
  const hot = new Set(Object.entries(api.functions).filter(([, fn]) => fn.hotPath === true).map(([name]) => name))
  if (api.authorizer) hot.add(api.authorizer.function)
  return hot
}

/** Function name → provisioned sandboxes, for the functions that get any. */
export function provisionedConcurrency(api: ApiDeclaration, setting: ProvisionedConcurrencySetting): Map<string, number> {
  const names = Object.keys(api.functions)
  const values = typeof setting === 'number' ? [setting] : Object.values(setting)
  if (!values.every((n) => Number.isInteger(n) && n >= 0)) throw invalidSetting(`must be a whole number ≥ 0 or a map of them; got ${JSON.stringify(setting)}`)
  const unknown = typeof setting === 'number' ? [] : Object.keys(setting).filter((name) => !names.includes(name))
  if (unknown.length > 0) throw invalidSetting(`names ${unknown.join(', ')}, which the API does not declare (functions: ${names.join(', ')})`)
  const hot = hotPathFunctions(api)
  const plan = new Map<string, number>()
  for (const name of Object.keys(api.functions)) {
    const n = typeof setting === 'number' ? (hot.has(name) ? setting : 0) : (setting[name] ?? 0)
    if (n > 0) plan.set(name, n)
  }
  return plan
}

function invalidSetting(detail: string): Error {
  return Object.assign(new Error(`Provisioned concurrency ${detail}`), { code: 'INVALID_PROVISIONED_CONCURRENCY' })
}
