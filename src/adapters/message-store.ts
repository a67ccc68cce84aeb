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
}

/** Greater than any id character, so `MSG#<after>!` sits right after `MSG#<after>` and `MSG#~` after all. */
const afterAll = '~'

export class MessageStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async put(message: ChatMessage): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.message(message.room, message.id), ...message } }))
  }

  async get(room: string, id: string): Promise<ChatMessage | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.message(room, id), ConsistentRead: true }))
    return Item ? toMessage(Item) : undefined
  }

  /** Claims a clientMessageId for a send; on a retry, what the first send was given instead. */
  async claim(userId: string, clientMessageId: string, send: ClaimedSend, now: number): Promise<ClaimedSend | 'claimed'> {
    const key = keys.dedupe(userId, clientMessageId)
    const claimed = await conditionally(() =>
      this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...key, ...send, ttl: epochSeconds(now) + dedupeLifetimeSeconds },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    )
    if (claimed) return 'claimed'
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }))
    // Expired between the two calls: treat the send as new.
    if (!Item) return 'claimed'
    return { room: Item.room, id: Item.id, sentAt: Item.sentAt }
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
