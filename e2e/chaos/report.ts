// Prints the campaign's one table (markdown), then every restart with the input that caused it, and
// writes the whole of it, with the per-input details, to artifacts/chaos.json.
import { mkdir, writeFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import type { Row } from './report-rows.ts'
import type { RestartRecord, Supervisor } from './supervisor.ts'

const artifacts = fileURLToPath(new URL('../../artifacts/', import.meta.url))

/** The error line of a crash's stderr and the frame that threw, e.g. `URIError: URI malformed at serveStatic (emulator/static-site.ts:29:30)`. */
export function crashSummary(record: RestartRecord): string {
  if (record.cause === 'wedge') return 'stopped answering (10 liveness probes in a row failed); killed and restarted'
  const lines = record.stderr
  const at = lines.findLastIndex((l) => /^\w*(Error|Exception)\b/.test(l))
  if (at < 0) return `exit ${record.exit?.signal ?? record.exit?.code}: ${lines.slice(-3).join(' / ')}`
  const frames = lines.slice(at + 1).filter((l) => l.trim().startsWith('at '))
  const frame = frames.find((l) => /\/(emulator|src)\//.test(l)) ?? frames[0]
  return `${lines[at].trim()}${frame ? ` ${frame.trim().replace(/\(\/.*?\/(emulator|src|e2e)\//, '($1/')}` : ''}`
}

export function restartRows(sup: Supervisor, phases: readonly string[]): Row[] {
  return phases.map((phase) => {
    const records = sup.restartsIn(phase)
    const probes = sup.probeFailures.get(phase) ?? 0
    return { phase, what: 'process restarts', figures: `${records.length}${probes ? `; failed liveness probes: ${probes}` : ''}` }
  })
}

export function printTable(title: string, rows: readonly Row[]): string {
  const escape = (s: string) => s.replaceAll('|', '\\|').replaceAll('\n', ' ')
  const lines = [`### ${title}`, '', '| phase | what | figures |', '|---|---|---|', ...rows.map((r) => `| ${r.phase} | ${escape(r.what)} | ${escape(r.figures)} |`)]
  return lines.join('\n')
}

export function printRestarts(records: readonly RestartRecord[]): string {
  if (records.length === 0) return 'No restarts.'
  const lines = [`### Restarts (${records.length})`, '']
  for (const [i, r] of records.entries()) {
    lines.push(`${i + 1}. ${r.phase}, ${r.at}: ${crashSummary(r)}`)
    for (const s of r.suspects) lines.push(`   - in flight: [${s.class}] ${s.name}: ${s.preview.length > 200 ? `${s.preview.slice(0, 200)}…` : s.preview} (${s.length} bytes)`)
  }
  return lines.join('\n')
}

export async function writeJson(report: Record<string, unknown>): Promise<string> {
  await mkdir(artifacts, { recursive: true })
  const file = `${artifacts}chaos.json`
  await writeFile(file, JSON.stringify(report, (_k, v: unknown) => (v instanceof Map ? Object.fromEntries(v) : v), 2))
  return file
}
