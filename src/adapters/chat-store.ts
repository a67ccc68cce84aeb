// The chat's DynamoDB adapter: the only place that knows item layouts (tables.ts, design.md §5).
// Every read is a GetItem or a Query; nothing here scans.
import {
  BatchWriteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb'

export interface ConnectionRecord {
  readonly connectionId: string
  readonly userId: string
  readonly username: string
  readonly connectedAt: number
  readonly currentRoom: string
}

export interface MemberRecord {
  readonly connectionId: string
  readonly userId: string
  readonly username: string
}

export interface StoredMessage {
  readonly room: string
  readonly id: string
  readonly userId: string
  readonly username: string
  readonly text: string
  readonly sentAt: string
}

// API Gateway closes every connection after 2 h; the margin lets $disconnect clean up first, and
// TTL sweeps whatever a lost $disconnect leaves behind.
const connectionLifetimeSeconds = 2 * 60 * 60 + 15 * 60
const batchSize = 25

const connKey = (connectionId: string) => ({ pk: `CONN#${connectionId}`, sk: 'META' })
const memberKey = (room: string, connectionId: string) => ({ pk: `ROOM#${room}`, sk: `CONN#${connectionId}` })

export class ChatStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Registers a connection and makes it a live member of its first room, in one round trip. */
  async addConnection(connection: ConnectionRecord): Promise<void> {
    const ttl = Math.floor(connection.connectedAt / 1000) + connectionLifetimeSeconds
    const { connectionId, userId, username, currentRoom } = connection
    await this.batchWrite([
      {
        PutRequest: {
          Item: {
            ...connKey(connectionId),
            gsi1pk: `USER#${userId}`,
            gsi1sk: `CONN#${connectionId}`,
            ...connection,
            ttl,
          },
        },
      },
      {
        PutRequest: {
          Item: {
            ...memberKey(currentRoom, connectionId),
            gsi1pk: `CONN#${connectionId}`,
            gsi1sk: `ROOM#${currentRoom}`,
            connectionId,
            userId,
            username,
            ttl,
          },
        },
      },
    ])
  }

  async getConnection(connectionId: string): Promise<ConnectionRecord | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: connKey(connectionId) }))
    if (!Item) return undefined
    return {
      connectionId,
      userId: Item.userId,
      username: Item.username,
      connectedAt: Item.connectedAt,
      currentRoom: Item.currentRoom,
    }
  }

  /** Removes a connection and every room membership it holds (found through gsi1, never a scan). */
  async removeConnection(connectionId: string): Promise<void> {
    const keys: Record<string, string>[] = [connKey(connectionId)]
    let ExclusiveStartKey: Record<string, unknown> | undefined
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :c',
          ExpressionAttributeValues: { ':c': `CONN#${connectionId}` },
          ProjectionExpression: 'pk, sk',
          ExclusiveStartKey,
        }),
      )
      for (const item of page.Items ?? []) keys.push({ pk: item.pk, sk: item.sk })
      ExclusiveStartKey = page.LastEvaluatedKey
    } while (ExclusiveStartKey)
    await this.batchWrite(keys.map((Key) => ({ DeleteRequest: { Key } })))
  }

  /** The live connections in a room: one Query on the room's `CONN#` items. */
  async roomMembers(room: string): Promise<MemberRecord[]> {
    const members: MemberRecord[] = []
    let ExclusiveStartKey: Record<string, unknown> | undefined
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :p AND begins_with(sk, :c)',
          ExpressionAttributeValues: { ':p': `ROOM#${room}`, ':c': 'CONN#' },
          ProjectionExpression: 'connectionId, userId, username',
          ExclusiveStartKey,
        }),
      )
      for (const item of page.Items ?? []) {
        members.push({ connectionId: item.connectionId, userId: item.userId, username: item.username })
      }
      ExclusiveStartKey = page.LastEvaluatedKey
    } while (ExclusiveStartKey)
    return members
  }

  async putMessage(message: StoredMessage): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { pk: `ROOM#${message.room}`, sk: `MSG#${message.id}`, ...message },
      }),
    )
  }

  private async batchWrite(requests: Record<string, unknown>[]): Promise<void> {
    for (let start = 0; start < requests.length; start += batchSize) {
      let pending: Record<string, unknown>[] | undefined = requests.slice(start, start + batchSize)
      // DynamoDB may hand back part of a batch under load; retry what it did not process.
      for (let attempt = 0; pending && pending.length > 0; attempt++) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** attempt)))
        const result = await this.db.send(
          new BatchWriteCommand({ RequestItems: { [this.tableName]: pending as never } }),
        )
        pending = result.UnprocessedItems?.[this.tableName] as Record<string, unknown>[] | undefined
        if (attempt > 8 && pending?.length) throw new Error(`DynamoDB left ${pending.length} writes unprocessed`)
      }
    }
  }
}
