// Messages of a room (public or direct), their edits and soft deletes, history pages, and the
// clientMessageId claims that make a retried send idempotent.
import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import type { ChatMessage } from '../protocol.ts'
import { conditionally } from './dynamo-errors.ts'
import { dedupeLifetimeSeconds, epochSeconds, keys } from './table-keys.ts'

export interface HistoryQuery {
  readonly before?: string
  readonly after?: string
  readonly limit: number
}

export interface HistoryPage {
  readonly messages: ChatMessage[]
  /** More (older) messages may exist past the last one. */
  readonly more: boolean
}

export interface ClaimedSend {
  readonly room: string
  readonly id: string
  readonly sentAt: string
  /** What was sent (room and text), hashed: a retry must send the same. */
  readonly textHash: string
}

/** A clientMessageId's record: what the first attempt was given, and how far it got. */
export interface SendClaim extends ClaimedSend {
  /** `done` once every connection of the audience was posted to. */
  readonly state: 'claimed' | 'done'
  /** Connections already posted to, recorded when a fan-out was cut short. */
  readonly delivered: readonly string[]
  /** An attempt holds the claim until then (epoch ms); another waits or, after it, takes over. */
  readonly leaseUntil: number
}

/** Greater than any id character, so `MSG#<after>!` sits right after `MSG#<after>` and `MSG#~` after all. */
const afterAll = '~'

export class MessageStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Stores a message unless it is stored already (a retry must not undo an edit or a delete). */
  async putNew(message: ChatMessage): Promise<void> {
    await conditionally(() =>
      this.db.send(
        new PutCommand({ TableName: this.tableName, Item: { ...keys.message(message.room, message.id), ...message }, ConditionExpression: 'attribute_not_exists(pk)' }),
      ),
    )
  }

  async get(room: string, id: string): Promise<ChatMessage | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.message(room, id), ConsistentRead: true }))
    return Item ? toMessage(Item) : undefined
  }

  /** Claims a clientMessageId for a send, held until `leaseUntil`; on a retry, the existing claim instead. */
  async claim(userId: string, clientMessageId: string, send: ClaimedSend, leaseUntil: number, now: number): Promise<SendClaim | 'claimed'> {
    const key = keys.dedupe(userId, clientMessageId)
    const claimed = await conditionally(() =>
      this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...key, ...send, state: 'claimed', leaseUntil, ttl: epochSeconds(now) + dedupeLifetimeSeconds },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    )
    if (claimed) return 'claimed'
    const existing = await this.readClaim(userId, clientMessageId)
    // Expired between the two calls: treat the send as new.
    return existing ?? 'claimed'
  }

  async readClaim(userId: string, clientMessageId: string): Promise<SendClaim | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.dedupe(userId, clientMessageId), ConsistentRead: true }))
    if (!Item) return undefined
    return {
      room: Item.room,
      id: Item.id,
      sentAt: Item.sentAt,
      textHash: Item.textHash ?? '',
      state: Item.state === 'done' ? 'done' : 'claimed',
      delivered: Item.delivered instanceof Set ? [...(Item.delivered as Set<string>)] : [],
      leaseUntil: Number(Item.leaseUntil ?? 0),
    }
  }

  /** Takes over a claim whose holder's lease (`seen`) has run out; false when someone else did first. */
  takeOver(userId: string, clientMessageId: string, seen: number, leaseUntil: number): Promise<boolean> {
    return conditionally(() =>
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.dedupe(userId, clientMessageId),
          UpdateExpression: 'SET leaseUntil = :mine',
          ConditionExpression: 'leaseUntil = :seen AND #state <> :done',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':mine': leaseUntil, ':seen': seen, ':done': 'done' },
        }),
      ),
    )
  }

  /** The attempt holding the claim is still at work: it keeps it until `leaseUntil`. */
  async renew(userId: string, clientMessageId: string, leaseUntil: number): Promise<void> {
    await conditionally(() =>
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.dedupe(userId, clientMessageId),
          UpdateExpression: 'SET leaseUntil = :until',
          ConditionExpression: '#state <> :done',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':until': leaseUntil, ':done': 'done' },
        }),
      ),
    )
  }

  /** A fan-out was cut short: records who has the message, and lets the next attempt go at once. */
  async checkpoint(userId: string, clientMessageId: string, delivered: readonly string[]): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.dedupe(userId, clientMessageId),
        UpdateExpression: delivered.length > 0 ? 'SET leaseUntil = :free ADD delivered :d' : 'SET leaseUntil = :free',
        ExpressionAttributeValues: { ':free': 0, ...(delivered.length > 0 ? { ':d': new Set(delivered) } : {}) },
      }),
    )
  }

  /** Every connection has the message: later retries are answered without posting again. */
  async finish(userId: string, clientMessageId: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.dedupe(userId, clientMessageId),
        UpdateExpression: 'SET #state = :done, leaseUntil = :free REMOVE delivered',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':done': 'done', ':free': 0 },
      }),
    )
  }

  /** Changes the text of a live message of `userId`; false when it is missing, deleted or not theirs. */
  edit(room: string, id: string, userId: string, text: string, editedAt: string): Promise<boolean> {
    return this.ownedUpdate(room, id, userId, 'SET #text = :text, editedAt = :at', { ':text': text, ':at': editedAt })
  }

  /** Soft delete: the item stays (ids and order are kept), its text goes. */
  softDelete(room: string, id: string, userId: string, deletedAt: string): Promise<boolean> {
    return this.ownedUpdate(room, id, userId, 'SET deleted = :true, deletedAt = :at REMOVE #text', { ':true': true, ':at': deletedAt })
  }

  /** Newest first, between the exclusive bounds; one Query (plus one item to tell whether more remain). */
  async history(room: string, query: HistoryQuery): Promise<HistoryPage> {
    const low = query.after ? `MSG#${query.after}!` : 'MSG#'
    const high = query.before ? `MSG#${query.before}` : `MSG#${afterAll}`
    const { Items = [], LastEvaluatedKey } = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :p AND sk BETWEEN :low AND :high',
        ExpressionAttributeValues: { ':p': `ROOM#${room}`, ':low': low, ':high': high },
        ScanIndexForward: false,
        // BETWEEN is inclusive: `before` itself may come first, and one more tells whether more remain.
        Limit: query.limit + 2,
      }),
    )
    const messages = Items.map(toMessage).filter((m) => m.id !== query.before)
    const more = messages.length > query.limit || LastEvaluatedKey !== undefined
    return { messages: messages.slice(0, query.limit), more }
  }

  private ownedUpdate(room: string, id: string, userId: string, update: string, values: Record<string, unknown>): Promise<boolean> {
    return conditionally(() =>
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.message(room, id),
          UpdateExpression: update,
          ConditionExpression: 'attribute_exists(pk) AND userId = :me AND attribute_not_exists(deleted)',
          ExpressionAttributeNames: { '#text': 'text' },
          ExpressionAttributeValues: { ...values, ':me': userId },
        }),
      ),
    )
  }
}

function toMessage(item: Record<string, any>): ChatMessage {
  return {
    room: item.room,
    id: item.id,
    userId: item.userId,
    username: item.username,
    text: item.text ?? '',
    sentAt: item.sentAt,
    ...(item.editedAt ? { editedAt: item.editedAt } : {}),
    ...(item.deleted ? { deleted: true as const, deletedAt: item.deletedAt } : {}),
  }
}
