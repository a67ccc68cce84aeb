// The rooms each user joined, kept with the account rather than in a browser: one item per user and
// room (`USER#<userId>` / `ROOM#<room>`), written by joinroom, deleted by leaveroom, and read in one
// Query by listrooms so that a page opened anywhere joins the same rooms again.
import { DeleteCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { keys } from './table-keys.ts'

/** Read at most this many (more than a connection may be in, action-limits.ts); the page re-joins the newest. */
export const maxListedMemberships = 200

export class MembershipStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** A repeat rewrites the same item: safe to run on every join. */
  async add(userId: string, room: string, joinedAt: number): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.membership(userId, room), room, joinedAt } }))
  }

  async remove(userId: string, room: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: keys.membership(userId, room) }))
  }

  /** The user's rooms, most recently joined first. */
  async rooms(userId: string): Promise<string[]> {
    const { Items = [] } = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :p AND begins_with(sk, :r)',
        ExpressionAttributeValues: { ':p': `USER#${userId}`, ':r': 'ROOM#' },
        ProjectionExpression: 'room, joinedAt',
        Limit: maxListedMemberships,
      }),
    )
    return Items.sort((a, b) => Number(b.joinedAt ?? 0) - Number(a.joinedAt ?? 0)).map((item) => String(item.room))
  }
}
