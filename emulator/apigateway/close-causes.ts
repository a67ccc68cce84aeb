// How and why a connection ends, as `$disconnect` reports it (spec §8).
import type { InboundViolation } from './inbound-frame-limits.ts'
import type { CloseCause } from './live-connections.ts'

/** §8: what `$disconnect` reports when the gateway itself ends the connection. */
export const closeCauses = {
  deleted: { code: 1000, reason: 'Connection Closed Normally' },
  idle: { code: 1001, reason: 'Going away' },
  maxDuration: { code: 1001, reason: 'Going away' },
  shutdown: { code: 1001, reason: 'Going away' },
  /** §1.9 / §8: close code 1009; the reason text is UNK (chosen). */
  tooBig: { code: 1009, reason: 'Message too big' },
  /** §1.8 / §8: close code 1003; the reason text is UNK (chosen). */
  binary: { code: 1003, reason: 'Binary frames are not supported' },
  /**
   * Chosen (AWS documents no such close): a client that stops reading while frames keep coming is
   * closed with 1008 once its unsent bytes pass the per-connection limit, so it cannot grow the
   * emulator's memory. On AWS its `@connections` posts would get LimitExceededException (§7.3).
   */
  slowConsumer: { code: 1008, reason: 'Slow consumer: too much unread data' },
  /** Chosen: the client vanished after `$connect` accepted it but before the 101 went out (TCP drop, §8). */
  vanished: { code: 1006, reason: '' },
} as const satisfies Record<string, CloseCause>

/** §1.8–1.9, §8: how the gateway closes a connection that broke a frame limit. */
export function violationCause(violation: InboundViolation): CloseCause {
  return violation === 'binary' ? closeCauses.binary : closeCauses.tooBig
}
