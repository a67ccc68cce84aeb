// Per-user items: the profile (for direct messages), the list of direct conversations, and the
// rate-limit state (rate-limit.ts decides the figures; this only does the conditional writes).
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import type { DirectSummary, User } from '../protocol.ts'
import { conditionally } from './dynamo-errors.ts'
import { queryAll } from './query-all.ts'
import { keys } from './table-keys.ts'

const maxListedDirects = 200

/** One step of GCRA (generic cell rate algorithm) on a "theoretical arrival time" in ms. */
export interface RateStep {
  readonly now: number
  /** Time one action costs. */
  readonly intervalMs: number
  /** The latest TAT that still admits an action: now + (burst - 1) × interval. */
  readonly latestAdmitted: number
  readonly ttl: number
}

export class UserStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async profile(userId: string): Promise<User | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.profile(userId) }))
    return Item ? { userId: Item.userId, username: Item.username } : undefined
  }

  /** Records (or moves up) a direct conversation in `owner`'s list. */
  async touchDirect(owner: string, room: string, peer: User, lastMessageAt: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.direct(owner, room),
        UpdateExpression: 'SET room = :r, userId = :u, username = :n, lastMessageAt = :at',
        ExpressionAttributeValues: { ':r': room, ':u': peer.userId, ':n': peer.username, ':at': lastMessageAt },
      }),
    )
  }

  async directs(owner: string): Promise<DirectSummary[]> {
    const items = await queryAll(
      this.db,
      {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :p AND begins_with(sk, :d)',
        ExpressionAttributeValues: { ':p': `USER#${owner}`, ':d': 'DM#' },
      },
      maxListedDirects,
    )
    return items
      .map((item) => ({ room: item.room, userId: item.userId, username: item.username, lastMessageAt: item.lastMessageAt }))
      .sort((a, b) => (a.lastMessageAt < b.lastMessageAt ? 1 : -1))
  }

  /**
   * Takes one action from the user's budget with at most two conditional writes and no read: the
   * first succeeds when the user has been idle (TAT in the past), the second when the budget still
   * has room. Both failing means over budget; nothing is written then. Returns the TAT on success.
   */
  async takeRate(userId: string, step: RateStep): Promise<boolean> {
    const update = (expression: string, condition: string, values: Record<string, unknown>) =>
      conditionally(() =>
        this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: keys.rate(userId),
            UpdateExpression: `${expression}, #ttl = :ttl`,
            ConditionExpression: condition,
            ExpressionAttributeNames: { '#ttl': 'ttl' },
            ExpressionAttributeValues: { ...values, ':ttl': step.ttl },
          }),
        ),
      )
    if (await update('SET tat = :next', 'attribute_not_exists(tat) OR tat < :now', { ':next': step.now + step.intervalMs, ':now': step.now })) {
      return true
    }
    return update('SET tat = tat + :i', 'tat <= :latest', { ':i': step.intervalMs, ':latest': step.latestAdmitted })
  }
}
