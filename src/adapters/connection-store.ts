// Connections: who is on each socket, which rooms it is in, and every socket of a user. A
// connection's record lists its rooms (`rooms`, a string set on the main table, read strongly
// consistent): removing a connection deletes the record first and learns its rooms from what it
// deleted, and joining adds the room only while the record exists, so a join racing a disconnect
// can never leave a room item behind (presence.ts).
import { DeleteCommand, GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import type { User } from '../protocol.ts'
import { batchWrite } from './batch-write.ts'
import { isConditionFailed } from './dynamo-errors.ts'
import { queryAll } from './query-all.ts'
import { connectionLifetimeSeconds, epochSeconds, keys } from './table-keys.ts'

export interface ConnectionRecord extends User {
  readonly connectionId: string
  readonly connectedAt: number
  /** Where the AWS tutorial frame posts: the last room joined. */
  readonly currentRoom: string
  /** Every room the connection is in (listening or joined). */
  readonly rooms: readonly string[]
}

/** A connection's place in a room; `active` once it joined (a listener before, see protocol.ts). */
export interface RoomConnection extends User {
  readonly room: string
  readonly connectionId: string
  readonly active: boolean
  /** When it joined (ms); orders a user's tabs. */
  readonly joinedAt: number
}

export type EnterOutcome = 'entered' | 'gone' | 'full'

export class ConnectionStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Registers a connection, the user's profile and the connection's listener place in its first
   *  room, in one round trip. Safe to repeat. */
  async add(connection: Omit<ConnectionRecord, 'rooms'>): Promise<void> {
    const ttl = epochSeconds(connection.connectedAt) + connectionLifetimeSeconds
    const { connectionId, userId, username, currentRoom, connectedAt } = connection
    const put = (Item: Record<string, unknown>) => ({ PutRequest: { Item } })
    await batchWrite(this.db, this.tableName, [
      put({ ...keys.connection(connectionId), gsi1pk: `USER#${userId}`, gsi1sk: `CONN#${connectionId}`, ...connection, rooms: new Set([currentRoom]), ttl }),
      put({ ...keys.profile(userId), userId, username, lastConnectedAt: connectedAt }),
      put({ ...keys.roomConnection(currentRoom, connectionId), room: currentRoom, connectionId, userId, username, active: false, joinedAt: connectedAt, ttl }),
    ])
  }

  async get(connectionId: string): Promise<ConnectionRecord | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.connection(connectionId), ConsistentRead: true }))
    return Item ? toRecord(Item) : undefined
  }

  /**
   * Adds `room` to the connection's rooms and makes it the current one, only while the connection
   * exists and is in fewer than `maxRooms` rooms (or already in this one).
   */
  async enterRoom(connectionId: string, room: string, maxRooms: number): Promise<EnterOutcome> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.connection(connectionId),
          UpdateExpression: 'ADD rooms :set SET currentRoom = :room',
          ConditionExpression: 'attribute_exists(pk) AND (contains(rooms, :room) OR size(rooms) < :max)',
          ExpressionAttributeValues: { ':set': new Set([room]), ':room': room, ':max': maxRooms },
        }),
      )
      return 'entered'
    } catch (error) {
      if (!isConditionFailed(error)) throw error
      return (await this.get(connectionId)) ? 'full' : 'gone'
    }
  }

  /** Takes `room` off the connection's rooms (nothing when the connection is gone). */
  async leaveRoom(connectionId: string, room: string): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.connection(connectionId),
          UpdateExpression: 'DELETE rooms :set',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':set': new Set([room]) },
        }),
      )
    } catch (error) {
      if (!isConditionFailed(error)) throw error
    }
  }

  /** Deletes the record; what it was (its rooms) or undefined when it was already gone. */
  async remove(connectionId: string): Promise<ConnectionRecord | undefined> {
    const { Attributes } = await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: keys.connection(connectionId), ReturnValues: 'ALL_OLD' }))
    return Attributes ? toRecord(Attributes) : undefined
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

function toRecord(item: Record<string, any>): ConnectionRecord {
  const rooms = item.rooms instanceof Set ? [...(item.rooms as Set<string>)] : []
  return { connectionId: item.connectionId, userId: item.userId, username: item.username, connectedAt: item.connectedAt, currentRoom: item.currentRoom, rooms }
}
