// What a Lambda proxy integration's outcome means to the client (spec §4, §5).
import type { GatewayErrorMessage } from './error-frames.ts'
import type { InvokeOutcome } from '../lambda/function-pool.ts'

/**
 * `$connect` (§4.1–4.3, §5.6): a 2xx accepts; another status rejects with it; a function error
 * (throw, crash, its own timeout) or a result with no valid status is 502; API Gateway's integration
 * timeout is 504 (UNK, chosen); Lambda throttling (reserved concurrency) is 500, as REST proxy
 * integrations answer a throttled Lambda (INF).
 */
export function connectStatus(outcome: InvokeOutcome): number {
  switch (outcome.kind) {
    case 'ok': {
      const statusCode = (outcome.payload as { statusCode?: unknown } | null | undefined)?.statusCode
      return typeof statusCode === 'number' && Number.isInteger(statusCode) && statusCode >= 100 && statusCode <= 599 ? statusCode : 502
    }
    case 'timeout':
      return 504
    case 'throttled':
      return 500
    case 'error':
      return 502
  }
}

/**
 * Message routes (§5.2–5.3): any failure becomes an error frame and the socket stays open. A function
 * that fails on its own (including Lambda's `Task timed out` when its timeout is shorter than the
 * integration's) is `Internal server error`; only API Gateway's own integration timeout is
 * `Endpoint request timed out`.
 */
export function messageError(outcome: InvokeOutcome): GatewayErrorMessage | undefined {
  switch (outcome.kind) {
    case 'ok':
      return undefined
    case 'timeout':
      return 'Endpoint request timed out'
    case 'throttled':
    case 'error':
      return 'Internal server error'
  }
}

/** §4.6: a two-way route sends the result's `body`; a result without a string body sends nothing (UNK, chosen). */
export function bodyOf(payload: unknown): string | undefined {
  const body = (payload as { body?: unknown } | null | undefined)?.body
  return typeof body === 'string' ? body : undefined
}

/** §1.6–1.7: only `Sec-WebSocket-Protocol` from the $connect result reaches the client. */
export function subprotocolOf(payload: unknown): string | undefined {
  const headers = (payload as { headers?: Record<string, unknown> } | null | undefined)?.headers
  if (!headers || typeof headers !== 'object') return undefined
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() === 'sec-websocket-protocol' && typeof value === 'string') return value
  }
  return undefined
}
