// The local Cognito's Lambda triggers run here as every other invocation runs: in the declared
// function's sandboxes (its memory, timeout, environment, reserved concurrency), logged and metered
// like a route's, the log line's route being the event's `triggerSource` (there is no connection).
import { randomUUID } from 'node:crypto'
import type { InvokeTrigger } from '../cognito/user-pool-triggers.ts'
import type { FunctionPool } from './function-pool.ts'
import type { InvocationLogger } from './invocation-log.ts'

/** `functions` is read at each call: the pools exist only once the pool that needs them has started. */
export function triggerInvoker(functions: () => ReadonlyMap<string, FunctionPool>, log: InvocationLogger): InvokeTrigger {
  return async (name, event, waitMs) => {
    const pool = functions().get(name)
    if (!pool) return { kind: 'error', message: `function ${name} is not running` }
    const requestId = randomUUID()
    const started = performance.now()
    const outcome = await pool.invoke(event, requestId, waitMs)
    log({
      time: new Date().toISOString(),
      routeKey: String(event.triggerSource),
      function: name,
      connectionId: '-',
      requestId,
      status: outcome.kind,
      durationMs: Math.round(performance.now() - started),
      ...(outcome.kind === 'error' ? { error: `${outcome.error.errorType}: ${outcome.error.errorMessage}` } : {}),
      ...('report' in outcome && outcome.report && { report: outcome.report }),
    })
    if (outcome.kind === 'ok') return { kind: 'ok', result: outcome.payload }
    // A function that ran past its own timeout is, to Cognito, one that did not answer in time.
    if (outcome.kind === 'error') return outcome.error.errorType === 'Sandbox.Timedout' ? { kind: 'timeout' } : { kind: 'error', message: outcome.error.errorMessage }
    return { kind: outcome.kind }
  }
}
