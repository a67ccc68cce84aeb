// Every action is limited per connection and per user, in the memory of the sandbox that serves it
// (free: no write), before any work. The figures leave room for what the page itself does: a
// reconnect re-joins every room (up to `maxRoomsPerConnection`) and catches up on each, several
// tabs at once. A connection that keeps going past its limits is closed through `@connections`
// DELETE: it cannot keep the stage's throttle (which API Gateway shares among all clients) used up.
// A user spread over several sandboxes gets each sandbox's share; the DynamoDB budgets in
// rate-limit.ts bound what stores or fans out across all of them.
import { ChatError } from './errors.ts'
import type { Action } from './protocol.ts'

/** At most this many rooms per connection (joinroom refuses more). */
export const maxRoomsPerConnection = 100

interface Limit {
  /** Actions at once after a quiet spell. */
  readonly burst: number
  /** Then this many per second. */
  readonly perSecond: number
}

/** Per connection; a user (all their tabs in this sandbox) gets `userFactor` times as much. */
export const actionLimits: { readonly [A in Action]: Limit } = {
  joinroom: { burst: maxRoomsPerConnection, perSecond: 5 },
  leaveroom: { burst: maxRoomsPerConnection, perSecond: 5 },
  listrooms: { burst: 30, perSecond: 2 },
  listdirects: { burst: 30, perSecond: 2 },
  // Looser than the per-user DynamoDB budget (rate-limit.ts), which is the real bound: this one
  // stops a flood before it costs a write.
  sendmessage: { burst: 60, perSecond: 10 },
  editmessage: { burst: 60, perSecond: 10 },
  deletemessage: { burst: 60, perSecond: 10 },
  // A catch-up reads a page or more per room after a reconnect.
  history: { burst: 3 * maxRoomsPerConnection, perSecond: 10 },
  typing: { burst: 10, perSecond: 2 },
  opendirect: { burst: 30, perSecond: 2 },
  heartbeat: { burst: 10, perSecond: 1 },
}
export const userFactor = 4
/** Refusals in a row, on one connection, after which it is closed. */
export const refusalsBeforeDisconnect = 50
/** Bounds what the limiter keeps in a long-lived sandbox. */
const maxTracked = 10_000

class Buckets {
  private readonly levels = new Map<string, { tokens: number; at: number }>()

  constructor(private readonly limit: Limit) {}

  take(key: string, now: number): boolean {
    const level = this.levels.get(key) ?? { tokens: this.limit.burst, at: now }
    level.tokens = Math.min(this.limit.burst, level.tokens + ((now - level.at) / 1000) * this.limit.perSecond)
    level.at = now
    // Map order is recency order: the least recently seen key goes first when full.
    this.levels.delete(key)
    this.levels.set(key, level)
    if (this.levels.size > maxTracked) this.levels.delete(this.levels.keys().next().value!)
    if (level.tokens < 1) return false
    level.tokens -= 1
    return true
  }

  forget(key: string): void {
    this.levels.delete(key)
  }
}

export type Verdict = 'allowed' | 'refused' | 'disconnect'

export class ActionLimiter {
  private readonly perConnection: Buckets
  private readonly perUser: Buckets
  private readonly refusals = new Map<string, number>()

  constructor(
    readonly action: Action,
    private readonly now: () => number = Date.now,
  ) {
    const limit = actionLimits[action]
    this.perConnection = new Buckets(limit)
    this.perUser = new Buckets({ burst: limit.burst * userFactor, perSecond: limit.perSecond * userFactor })
  }

  check(connectionId: string, userId: string): Verdict {
    const now = this.now()
    if (this.perConnection.take(connectionId, now) && this.perUser.take(userId, now)) {
      this.refusals.delete(connectionId)
      return 'allowed'
    }
    const refused = (this.refusals.get(connectionId) ?? 0) + 1
    this.refusals.delete(connectionId)
    if (refused >= refusalsBeforeDisconnect) {
      this.perConnection.forget(connectionId)
      return 'disconnect'
    }
    this.refusals.set(connectionId, refused)
    if (this.refusals.size > maxTracked) this.refusals.delete(this.refusals.keys().next().value!)
    return 'refused'
  }
}

export function limitedError(action: Action, disconnected: boolean): ChatError {
  const { burst, perSecond } = actionLimits[action]
  return new ChatError('RATE_LIMITED', `Too many ${action}: at most ${burst} at once, then ${perSecond} per second${disconnected ? '; this connection is closed' : ''}`, {
    retryAfterMs: Math.ceil(1000 / perSecond),
    ...(disconnected ? { disconnected: true } : {}),
  })
}
