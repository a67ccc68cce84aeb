// Per-user items: the profile (for direct messages), the list of direct conversations, and the
// rate-limit state (rate-limit.ts decides the figures; this only does the conditional writes).
import { GetCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import type { DirectSummary, User } from '../protocol.ts'
import { conditionally } from './dynamo-errors.ts'
import { activityKey, directsIndexKey, keys } from './table-keys.ts'

export interface DirectPage {
  readonly directs: readonly DirectSummary[]
  /** Pass back for the next (older) page; undefined at the end. */
  readonly cursor: string | undefined
}

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
        UpdateExpression: 'SET room = :r, userId = :u, username = :n, lastMessageAt = :at, gsi1pk = :g, gsi1sk = :s',
        ExpressionAttributeValues: { ':r': room, ':u': peer.userId, ':n': peer.username, ':at': lastMessageAt, ':g': directsIndexKey(owner), ':s': activityKey(lastMessageAt, room) },
      }),
    )
  }

  /** `owner`'s direct conversations, most recent first, a page at a time (cursor: the last one's index key). */
  async directs(owner: string, limit: number, cursor: string | undefined): Promise<DirectPage> {
    const { Items = [], LastEvaluatedKey } = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :g',
        ExpressionAttributeValues: { ':g': directsIndexKey(owner) },
        ScanIndexForward: false,
        Limit: limit,
        ...(cursor ? { ExclusiveStartKey: { gsi1pk: directsIndexKey(owner), gsi1sk: cursor, ...keys.direct(owner, cursor.slice(cursor.indexOf('#') + 1)) } } : {}),
      }),
    )
    return {
      directs: Items.map((item) => ({ room: item.room, userId: item.userId, username: item.username, lastMessageAt: item.lastMessageAt })),
      cursor: LastEvaluatedKey ? String(LastEvaluatedKey.gsi1sk) : undefined,
    }
  }

  /**
   * Takes one action from the user's budget with at most two conditional writes and no read: the
   * first succeeds when the user has been idle (TAT in the past), the second when the budget still
   * has room. Both failing means over budget; nothing is written then. Returns the TAT on success.
   */
  async takeRate(userId: string, budget: string, step: RateStep): Promise<boolean> {
    const update = (expression: string, condition: string, values: Record<string, unknown>) =>
      conditionally(() =>
        this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: keys.rate(userId, budget),
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
