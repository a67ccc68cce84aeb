// Records the emulator's invocation log for a test, and lets the test wait for a line.
import type { InvocationLogEntry, InvocationLogger } from '../emulator/lambda/invocation-log.ts'
import { Waiters } from './waiters.ts'

export interface InvocationRecorder {
  /** Pass as the emulator's `log` option. */
  readonly log: InvocationLogger
  readonly invocations: InvocationLogEntry[]
  /** The first logged invocation, past or future, that matches; rejects after the timeout. */
  waitFor(match: (entry: InvocationLogEntry) => boolean, timeoutMs?: number): Promise<InvocationLogEntry>
}

export function recordInvocations(): InvocationRecorder {
  const invocations: InvocationLogEntry[] = []
  const waiters = new Waiters()
  return {
    invocations,
    log(entry) {
      invocations.push(entry)
      waiters.wake()
    },
    waitFor(match, timeoutMs = 5000) {
      return waiters.until(
        () => {
          const hit = invocations.find(match)
          return hit ? { value: hit } : undefined
        },
        timeoutMs,
        () => `a matching invocation; seen: ${invocations.map((e) => `${e.routeKey}:${e.status}`).join(', ')}`,
      )
    },
  }
}
