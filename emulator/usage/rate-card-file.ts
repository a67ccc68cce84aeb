// A rate card overridden by a JSON file (`--rate-card <file>`, the `rateCard` option): any price or
// free-tier allowance, by id, e.g. `{"prices":{"lambdaGbSeconds":{"usd":0.0000166667}}}` for x86.
// Everything is checked before the emulator starts; a bad file is refused with what is wrong in it.
import { readFile } from 'node:fs/promises'
import { defaultRateCard, freeTierIds, priceIds, type Allowance, type Price, type RateCard } from './rate-card.ts'

export class RateCardError extends Error {
  readonly code = 'INVALID_RATE_CARD'
}

/** The default card with `override` applied; `where` names the override in errors. */
export function applyRateCard(override: unknown, where = 'the rate card', base: RateCard = defaultRateCard): RateCard {
  const top = record(override, where)
  unknownKeys(top, ['region', 'prices', 'freeTier'], where)
  if (top.region !== undefined && (typeof top.region !== 'string' || top.region === '')) throw new RateCardError(`${where}: region must be a non-empty string`)
  const prices = { ...base.prices }
  if (top.prices !== undefined) {
    const given = record(top.prices, `${where}: prices`)
    unknownKeys(given, priceIds, `${where}: prices`)
    for (const [id, value] of Object.entries(given)) prices[id as keyof typeof prices] = merge(prices[id as keyof typeof prices], value, `${where}: prices.${id}`, ['usd', 'per'])
  }
  const freeTier = { ...base.freeTier }
  if (top.freeTier !== undefined) {
    const given = record(top.freeTier, `${where}: freeTier`)
    unknownKeys(given, freeTierIds, `${where}: freeTier`)
    for (const [id, value] of Object.entries(given)) freeTier[id as keyof typeof freeTier] = merge(freeTier[id as keyof typeof freeTier], value, `${where}: freeTier.${id}`, ['units'])
  }
  return { region: (top.region as string | undefined) ?? base.region, prices, freeTier }
}

export async function loadRateCard(file: string): Promise<RateCard> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    throw new RateCardError(`rate card ${file} cannot be read: ${(error as Error).message}`)
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw new RateCardError(`rate card ${file} is not JSON: ${(error as Error).message}`)
  }
  return applyRateCard(json, `rate card ${file}`)
}

function merge<T extends Price | Allowance>(base: T, value: unknown, where: string, numbers: readonly string[]): T {
  const given = record(value, where)
  unknownKeys(given, [...numbers, 'unit', 'source', 'checked', 'note'], where)
  for (const key of numbers) {
    const n = given[key]
    if (n === undefined) continue
    if (typeof n !== 'number' || !Number.isFinite(n) || n < 0 || (key === 'per' && n === 0)) throw new RateCardError(`${where}.${key} must be a number ≥ 0${key === 'per' ? ' and not 0' : ''}, got ${JSON.stringify(n)}`)
  }
  for (const key of ['unit', 'source', 'checked', 'note']) {
    if (given[key] !== undefined && typeof given[key] !== 'string') throw new RateCardError(`${where}.${key} must be a string, got ${JSON.stringify(given[key])}`)
  }
  // An overridden figure no longer carries the default's provenance unless the file gives its own.
  const provenance = numbers.some((key) => given[key] !== undefined) ? { source: where, checked: 'overridden', note: undefined } : {}
  return { ...base, ...provenance, ...given } as T
}

function record(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new RateCardError(`${where} must be a JSON object, got ${JSON.stringify(value)}`)
  return value as Record<string, unknown>
}

function unknownKeys(value: Record<string, unknown>, known: readonly string[], where: string): void {
  const unknown = Object.keys(value).filter((key) => !known.includes(key))
  if (unknown.length > 0) throw new RateCardError(`${where} has unknown ${unknown.length === 1 ? 'key' : 'keys'} ${unknown.join(', ')} (known: ${known.join(', ')})`)
}
