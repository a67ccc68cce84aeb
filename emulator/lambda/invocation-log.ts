// One structured line per invocation (design.md §4): route, connection, request id, status, duration,
// and what Lambda's REPORT line says of the run: duration, billed duration, memory size, max memory
// used, and the init duration of a cold start.
import type { InvocationReport } from './sandbox.ts'

export interface InvocationLogEntry {
  readonly time: string
  readonly routeKey: string
  readonly function: string
  readonly connectionId: string
  readonly requestId: string
  /** `ok`, `error`, `timeout`, `throttled`, or the HTTP status a handshake ended with; `allow` for an authorizer that allowed. */
  readonly status: string
  /** As the gateway saw it: from the invocation request to its answer. */
  readonly durationMs: number
  readonly error?: string
  /** Lambda's REPORT line, when the run ended before the gateway stopped waiting (not for throttled ones). */
  readonly report?: InvocationReport
}

export type InvocationLogger = (entry: InvocationLogEntry) => void

/**
 * For a terminal: short, aligned, readable while chatting, e.g.
 * `12:00:01.234 sendmessage  ok            3.1 ms  conn=L0SM9cOFvHcCIhw= req=JC1dgf9yoAMCK-g=`.
 * The function is named only when the route does not already say it (`$connect` → `connect` does).
 */
export function prettyLogger(write: (line: string) => void = (line) => process.stdout.write(line + '\n')): InvocationLogger {
  return (e) => {
    const status = e.status.padEnd(9)
    const fn = e.function === e.routeKey.replace(/^\$/, '') ? '' : ` fn=${e.function}`
    const error = e.error ? `  ${e.error}` : ''
    const r = e.report
    const report = r ? `  billed=${r.billedDurationMs}ms mem=${r.maxMemoryUsedMb}/${r.memorySizeMb}MB${r.initDurationMs === undefined ? '' : ` init=${r.initDurationMs.toFixed(1)}ms`}` : ''
    write(`${e.time.slice(11, 23)} ${e.routeKey.padEnd(12)} ${status} ${String(e.durationMs.toFixed(1)).padStart(7)} ms  conn=${e.connectionId} req=${e.requestId}${fn}${report}${error}`)
  }
}

export const jsonLogger: InvocationLogger = (entry) => process.stdout.write(JSON.stringify(entry) + '\n')
