// Failures on purpose, for testing how handlers and clients cope with what AWS may do: `$disconnect`
// that never comes (API Gateway delivers it on a best-effort basis, spec §4.7/§8), an invocation that
// times out or whose sandbox dies, `@connections` posts that are slow. All off until switched on;
// each switch returns a function that switches it off again. Generic: they know routes, functions
// and connections, nothing of what the handlers do.
import type { InvocationFault } from './lambda/function-pool.ts'

export interface InvocationMatch {
  readonly function?: string
  readonly routeKey?: string
  readonly connectionId?: string
  /** Also match on the event (e.g. its body). */
  readonly event?: (event: unknown) => boolean
}

export interface InvocationFaultRule extends InvocationMatch, InvocationFault {
  /** How many matching invocations get it (default 1). */
  readonly times?: number
}

type Off = () => void

export class Faults {
  private readonly droppedDisconnects = new Set<(connectionId: string) => boolean>()
  private readonly invocationRules = new Set<{ rule: InvocationFaultRule; left: number }>()
  private postDelay: ((connectionId: string) => number) | undefined

  /** `$disconnect` is not invoked for connections that match (their sockets still close). */
  dropDisconnects(match: (connectionId: string) => boolean = () => true): Off {
    this.droppedDisconnects.add(match)
    return () => void this.droppedDisconnects.delete(match)
  }

  /** The next matching invocations time out (their own shorter timeout) or crash their sandbox, `afterMs` in. */
  failInvocations(rule: InvocationFaultRule): Off {
    const entry = { rule, left: rule.times ?? 1 }
    this.invocationRules.add(entry)
    return () => void this.invocationRules.delete(entry)
  }

  /** Every `@connections` post waits this long (per connection) before it is delivered. */
  delayPosts(ms: number | ((connectionId: string) => number)): Off {
    const delay = typeof ms === 'number' ? () => ms : ms
    this.postDelay = delay
    return () => {
      if (this.postDelay === delay) this.postDelay = undefined
    }
  }

  /** For the gateway: whether this connection's `$disconnect` is dropped. */
  dropsDisconnect(connectionId: string): boolean {
    return [...this.droppedDisconnects].some((match) => match(connectionId))
  }

  /** For the gateway: the fault this invocation gets, if any (each rule is used up `times` times). */
  invocationFault(match: Required<Omit<InvocationMatch, 'event'>>, event: unknown): InvocationFault | undefined {
    for (const entry of this.invocationRules) {
      const { rule } = entry
      if (rule.function !== undefined && rule.function !== match.function) continue
      if (rule.routeKey !== undefined && rule.routeKey !== match.routeKey) continue
      if (rule.connectionId !== undefined && rule.connectionId !== match.connectionId) continue
      if (rule.event && !rule.event(event)) continue
      if (--entry.left <= 0) this.invocationRules.delete(entry)
      return { kind: rule.kind, afterMs: rule.afterMs }
    }
    return undefined
  }

  /** For the `@connections` API: how long this post waits. */
  postDelayMs(connectionId: string): number {
    return this.postDelay?.(connectionId) ?? 0
  }
}
