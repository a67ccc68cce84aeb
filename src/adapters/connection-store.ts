// Connections: who is on each socket, which rooms it is in, and every socket of a user.
import { DeleteCommand, GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import type { User } from '../protocol.ts'
import { batchWrite } from './batch-write.ts'
import { conditionally } from './dynamo-errors.ts'
import { queryAll } from './query-all.ts'
import { connectionLifetimeSeconds, epochSeconds, keys } from './table-keys.ts'

export interface ConnectionRecord extends User {
  readonly connectionId: string
  readonly connectedAt: number
  /** Where the AWS tutorial frame posts: the last room joined. */
  readonly currentRoom: string
}

/** A connection's place in a room; `active` once it joined (a listener before, see protocol.ts). */
export interface RoomConnection extends User {
  readonly room: string
  readonly connectionId: string
  readonly active: boolean
}

export class ConnectionStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Registers a connection, the user's profile and the connection's listener place in its first
   *  room, in one round trip. */
  async add(connection: ConnectionRecord): Promise<void> {
    const ttl = epochSeconds(connection.connectedAt) + connectionLifetimeSeconds
    const { connectionId, userId, username, currentRoom } = connection
    const put = (Item: Record<string, unknown>) => ({ PutRequest: { Item } })
    await batchWrite(this.db, this.tableName, [
      put({ ...keys.connection(connectionId), gsi1pk: `USER#${userId}`, gsi1sk: `CONN#${connectionId}`, ...connection, ttl }),
      put({ ...keys.profile(userId), userId, username, lastConnectedAt: connection.connectedAt }),
      put({
        ...keys.roomConnection(currentRoom, connectionId),
        gsi1pk: `CONN#${connectionId}`,
        gsi1sk: `ROOM#${currentRoom}`,
        room: currentRoom,
        connectionId,
        userId,
        username,
        ttl,
      }),
    ])
  }

  async get(connectionId: string): Promise<ConnectionRecord | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.connection(connectionId), ConsistentRead: true }))
    if (!Item) return undefined
    return { connectionId, userId: Item.userId, username: Item.username, connectedAt: Item.connectedAt, currentRoom: Item.currentRoom }
  }

  /** Never recreates a connection that is already gone. */
  async setCurrentRoom(connectionId: string, room: string): Promise<void> {
    await conditionally(() =>
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.connection(connectionId),
          UpdateExpression: 'SET currentRoom = :r',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':r': room },
        }),
      ),
    )
  }

  /** The rooms a connection is in, through gsi1 (never a scan). */
  async roomsOf(connectionId: string): Promise<RoomConnection[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :c AND begins_with(gsi1sk, :r)',
      ExpressionAttributeValues: { ':c': `CONN#${connectionId}`, ':r': 'ROOM#' },
    })
    return items.map((item) => ({
      room: item.room ?? String(item.pk).slice('ROOM#'.length),
      connectionId,
      userId: item.userId,
      username: item.username,
      active: item.active === true,
    }))
  }

  async remove(connectionId: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: keys.connection(connectionId) }))
  }

  /** Every open connection of a user (all their tabs), through gsi1. */
  async ofUser(userId: string): Promise<string[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :u AND begins_with(gsi1sk, :c)',
      ExpressionAttributeValues: { ':u': `USER#${userId}`, ':c': 'CONN#' },
      ProjectionExpression: 'connectionId',
    })
    return items.map((item) => item.connectionId as string)
  }
}
