// The per-user budgets that every sandbox of every function shares, kept in DynamoDB (one item per
// user and budget, updated by GCRA with one conditional UpdateItem, two when mid-burst, never a
// read): an in-memory counter would be free, but each action runs in its own function and each
// function in many sandboxes, so a user could spend an in-memory budget once per sandbox.
//   actions  sendmessage, editmessage, deletemessage: 30 at once, then 4 a second (240 a minute:
//            far above what a person types; only floods and runaway clients meet it)
//   joins    joinroom: 300 at once, then 10 a second, so that a reconnect re-joining every room of
//            several tabs never meets it
//   creates  joinroom of a room that does not exist yet: 10 at once, then one a minute
// Over budget → RATE_LIMITED with details.retryAfterMs; nothing is stored. Each item expires (TTL) a
// minute after its budget is full again. The cheap per-connection limits on every action are in
// action-limits.ts.
import type { ChatContext } from './chat-context.ts'
import { ChatError } from './errors.ts'
import { epochSeconds } from './adapters/table-keys.ts'

export const budgets = {
  actions: { burst: 30, intervalMs: 250 },
  joins: { burst: 300, intervalMs: 100 },
  creates: { burst: 10, intervalMs: 60_000 },
} as const

export type Budget = keyof typeof budgets

/** How a budget reads to a person, e.g. "at most 30 at once, then 4 per second". */
export function budgetText(budget: Budget): string {
  const { burst, intervalMs } = budgets[budget]
  const rate = intervalMs >= 60_000 ? `${60_000 / intervalMs} per minute` : `${1000 / intervalMs} per second`
  return `at most ${burst} at once, then ${rate}`
}

export class RateLimit {
  constructor(private readonly ctx: ChatContext) {}

  async take(userId: string, budget: Budget = 'actions'): Promise<void> {
    const now = this.ctx.now()
    const { burst, intervalMs } = budgets[budget]
    const admitted = await this.ctx.store.users.takeRate(userId, budget, {
      now,
      intervalMs,
      latestAdmitted: now + (burst - 1) * intervalMs,
      ttl: epochSeconds(now + burst * intervalMs) + 60,
    })
    if (!admitted) {
      throw new ChatError('RATE_LIMITED', `Too many ${budget === 'creates' ? 'new rooms' : budget}: ${budgetText(budget)}`, { retryAfterMs: intervalMs, budget })
    }
  }
}
