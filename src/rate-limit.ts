// The per-user budget for actions that store or fan out: sendmessage (rooms and direct messages),
// editmessage, deletemessage and joinroom share one bucket per user:
//   a burst of 30 actions, refilled at 4 actions per second (240 a minute sustained): far above
//   what a person types, so only floods and runaway clients meet it.
// Over budget → RATE_LIMITED with details.retryAfterMs; nothing is stored.
//
// Where the state lives: DynamoDB, one item per user (USER#<id> / RATE), updated by GCRA with one
// conditional UpdateItem (two when the user is mid-burst) and never a read. An in-memory counter
// would be free, but every action is its own Lambda function and each may run in many sandboxes, so
// a user could spend the budget once per sandbox; the table item is the one place all of them share.
// The item expires (TTL) a minute after the budget is full again. Reads (history, listrooms),
// typing (throttled per connection in typing.ts) and heartbeat cost no budget and no write.
import type { ChatContext } from './chat-context.ts'
import { ChatError } from './errors.ts'
import { epochSeconds } from './adapters/table-keys.ts'

export const rateLimit = { burst: 30, intervalMs: 250 } as const

/** How the limit reads to a person, e.g. "at most 30 at once, then 4 per second". */
export const rateLimitText = `at most ${rateLimit.burst} at once, then ${1000 / rateLimit.intervalMs} per second`

export class RateLimit {
  constructor(private readonly ctx: ChatContext) {}

  async take(userId: string): Promise<void> {
    const now = this.ctx.now()
    const { burst, intervalMs } = rateLimit
    const admitted = await this.ctx.store.users.takeRate(userId, {
      now,
      intervalMs,
      latestAdmitted: now + (burst - 1) * intervalMs,
      ttl: epochSeconds(now + burst * intervalMs) + 60,
    })
    if (!admitted) {
      throw new ChatError('RATE_LIMITED', `Too many actions: ${rateLimitText}`, { retryAfterMs: intervalMs })
    }
  }
}
