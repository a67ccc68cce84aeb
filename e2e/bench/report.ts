// The benchmark's report: one row per scenario × system, each figure followed by its ratio to the
// plain `ws` server in the same scenario of the same run (system ÷ ws: for throughput below 1× is
// slower; for latency, CPU and memory above 1× costs more), then the emulators' memory at idle,
// with the storm's connections open, and under the heaviest rung. Pure functions of the results.
import os from 'node:os'
import type { MemoryReading } from './process-meter.ts'
import type { Measurement } from './scenarios.ts'
import type { SystemId } from './systems.ts'

export interface Result {
  readonly scenarioId: string
  readonly scenarioLabel: string
  readonly systemId: SystemId
  readonly systemName: string
  /** Absent when the run failed (`failure` says why). */
  readonly measurement?: Measurement
  readonly failure?: string
  /** The server process just after it started, before any connection. */
  readonly idle?: MemoryReading
  /** Its child processes' memory (the emulator's esbuild services) at the same moment. */
  readonly idleChildren?: MemoryReading & { readonly processes: number }
  /** Peak RSS and PSS sampled every ~200 ms from once the clients were ready to the end. */
  readonly peaks?: MemoryReading
}

/** `value ÷ base`, or NaN when either is missing or the base is 0. */
export function ratio(value: number | undefined, base: number | undefined): number {
  if (value === undefined || base === undefined || !Number.isFinite(value) || !Number.isFinite(base) || base === 0) return Number.NaN
  return value / base
}

/** A ratio as `0.052×`, `2.3×`, `41×`. */
export function times(r: number): string {
  if (!Number.isFinite(r)) return 'n/a'
  if (r >= 10) return `${Math.round(r).toLocaleString('en-US')}×`
  if (r >= 1) return `${r.toFixed(1)}×`
  return `${Number(r.toPrecision(2))}×`
}

/** A figure with sensible precision: `36,120`, `22.3`, `0.41`. */
export function figure(n: number): string {
  if (!Number.isFinite(n)) return 'n/a'
  if (Math.abs(n) >= 100) return Math.round(n).toLocaleString('en-US')
  if (Math.abs(n) >= 10) return n.toFixed(1)
  return n.toFixed(2)
}

export interface Figures {
  /** Connects or deliveries per second. */
  readonly rate: number
  readonly p50: number
  readonly p99: number
  readonly lost: number
  readonly lostPercent: number
  /** The server's CPU time per connect or delivery, µs. */
  readonly cpuPerUnit: number
  readonly peakPssMb: number
  readonly peakRssMb: number
}

export function figuresOf(r: Result): Figures | undefined {
  const m = r.measurement
  if (!m) return undefined
  const lost = m.expected - m.received
  return {
    rate: m.received / m.seconds,
    p50: m.latency.p50,
    p99: m.latency.p99,
    lost,
    lostPercent: m.expected === 0 ? 0 : (100 * lost) / m.expected,
    cpuPerUnit: m.received === 0 ? Number.NaN : m.cpuMicros / m.received,
    peakPssMb: r.peaks?.pssMb ?? Number.NaN,
    peakRssMb: r.peaks?.rssMb ?? Number.NaN,
  }
}

/** The plain `ws` row of the same scenario, if it ran. */
export function baselineOf(results: readonly Result[], r: Result): Result | undefined {
  if (r.systemId === 'ws') return undefined
  return results.find((b) => b.scenarioId === r.scenarioId && b.systemId === 'ws' && b.measurement)
}

const escape = (s: string) => s.replaceAll('|', '\\|')

const withRatio = (text: string, value: number, base: number | undefined) => (base === undefined ? text : `${text} (${times(ratio(value, base))})`)

/** One table row's cells. */
export function rowCells(r: Result, base: Result | undefined): string[] {
  const f = figuresOf(r)
  const head = [escape(r.scenarioLabel), r.systemName]
  if (!f) return [...head, `failed: ${escape(r.failure ?? 'no figures')}`, '', '', '', '', '', '', '']
  const b = base && figuresOf(base)
  const m = r.measurement!
  const unit = m.unit === 'connect' ? 'connects/s' : 'deliveries/s'
  const notes = [m.errors > 0 ? `${m.errors.toLocaleString('en-US')} ${m.unit === 'connect' ? 'connects failed' : 'error frames'}` : '', m.note ?? ''].filter(Boolean)
  return [
    ...head,
    withRatio(`${figure(f.rate)} ${unit}`, f.rate, b?.rate),
    withRatio(figure(f.p50), f.p50, b?.p50),
    withRatio(figure(f.p99), f.p99, b?.p99),
    `${f.lost.toLocaleString('en-US')} of ${m.expected.toLocaleString('en-US')} (${f.lostPercent === 0 ? '0' : f.lostPercent.toFixed(1)} %)`,
    withRatio(figure(f.cpuPerUnit), f.cpuPerUnit, b?.cpuPerUnit),
    withRatio(figure(f.peakPssMb), f.peakPssMb, b?.peakPssMb),
    withRatio(figure(f.peakRssMb), f.peakRssMb, b?.peakRssMb),
    escape(notes.join('; ')),
  ]
}

export const tableHeader = [
  'scenario',
  'system',
  'throughput (× ws)',
  'p50 ms (× ws)',
  'p99 ms (× ws)',
  'lost',
  'server CPU µs per connect/delivery (× ws)',
  'peak PSS MB (× ws)',
  'peak RSS MB (× ws)',
  'notes',
]

const markdownRow = (cells: readonly string[]) => `| ${cells.join(' | ')} |`

/** The results as a markdown table, one row per scenario × system in run order. */
export function resultsTable(results: readonly Result[]): string {
  return [markdownRow(tableHeader), markdownRow(tableHeader.map(() => '---')), ...results.map((r) => markdownRow(rowCells(r, baselineOf(results, r))))].join('\n')
}

const memory = (m: MemoryReading | undefined) => (m && Number.isFinite(m.pssMb) ? `PSS ${figure(m.pssMb)}, RSS ${figure(m.rssMb)}` : 'not measured')

/**
 * Each system's memory (MB) at idle, with the storm's connections open, and at the peak of the
 * heaviest rung; and its child processes' at idle (the emulator keeps esbuild services running).
 */
export function memoryTable(results: readonly Result[], stormId: string, heaviestId: string, systems: readonly { id: SystemId; name: string }[], stormConnections: number): string {
  const header = ['system', 'idle (just started)', `${stormConnections.toLocaleString('en-US')} connections open (after the storm)`, 'peak under the heaviest rung (50 × 2 msg/s)', 'child processes at idle']
  const lines = [markdownRow(header), markdownRow(header.map(() => '---'))]
  for (const system of systems) {
    const storm = results.find((r) => r.scenarioId === stormId && r.systemId === system.id)
    const heaviest = results.find((r) => r.scenarioId === heaviestId && r.systemId === system.id)
    const idle = storm?.idle ?? results.find((r) => r.systemId === system.id && r.idle)?.idle
    const children = (storm ?? results.find((r) => r.systemId === system.id))?.idleChildren
    const childText = !children || children.processes === 0 ? 'none' : `${children.processes}: ${memory(children)}`
    lines.push(markdownRow([system.name, memory(idle), memory(storm?.measurement?.memoryAfter), memory(heaviest?.measurement ? heaviest.peaks : undefined), childText]))
  }
  return lines.join('\n')
}

/** The machine the figures come from. */
export function machineLine(): string {
  const cpus = os.cpus()
  return `machine: ${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}, ${os.type()} ${os.release()}`
}

/** A one-line summary of a result, printed as each finishes. */
export function progressLine(r: Result, base: Result | undefined): string {
  const [scenario, system, ...cells] = rowCells(r, base)
  const names = ['throughput', 'p50 ms', 'p99 ms', 'lost', 'CPU µs/unit', 'peak PSS MB', 'peak RSS MB', 'notes']
  return `${scenario} — ${system}: ${cells.map((c, i) => (c ? `${names[i]} ${c}` : '')).filter(Boolean).join(', ')}`
}
