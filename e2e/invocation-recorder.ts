// Records the emulator's invocation log for a test, and lets the test wait for a line.
import type { InvocationLogEntry, InvocationLogger } from '../emulator/invocation-log.ts'

export interface InvocationRecorder {
  /** Pass as the emulator's `log` option. */
  readonly log: InvocationLogger
  readonly invocations: InvocationLogEntry[]
  /** The first logged invocation, past or future, that matches; rejects after the timeout. */
  waitFor(match: (entry: InvocationLogEntry) => boolean, timeoutMs?: number): Promise<InvocationLogEntry>
}

export function recordInvocations(): InvocationRecorder {
  const invocations: InvocationLogEntry[] = []
  const waiters = new Set<() => void>()
  return {
    invocations,
    log(entry) {
      invocations.push(entry)
      for (const wake of [...waiters]) wake()
    },
    waitFor(match, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const hit = invocations.find(match)
          if (!hit) return false
          waiters.delete(check)
          clearTimeout(timer)
          resolve(hit)
          return true
        }
        const timer = setTimeout(() => {
          waiters.delete(check)
          reject(new Error(`no matching invocation within ${timeoutMs} ms; seen: ${invocations.map((e) => `${e.routeKey}:${e.status}`).join(', ')}`))
        }, timeoutMs)
        if (!check()) waiters.add(check)
      })
    },
  }
}
