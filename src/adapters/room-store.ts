// Rooms, their connections and their members. Membership counts use conditional writes and ADD
// counters (dynalite has no transactions): a connection's room item is activated once (a condition),
// and the per-user counter's 0 → 1 and 1 → 0 steps, which ADD returns atomically, are what make a
// user join or leave a room whatever their number of tabs.
import { DeleteCommand, GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import type { RoomSummary, User } from '../protocol.ts'
import type { RoomConnection } from './connection-store.ts'
import { conditionally } from './dynamo-errors.ts'
import { queryAll } from './query-all.ts'
import { keys, roomsIndexKey } from './table-keys.ts'

/** Listing stops here: a page of the room list, not the whole world. */
const maxListedRooms = 500

export class RoomStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async connection(room: string, connectionId: string): Promise<RoomConnection | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.roomConnection(room, connectionId), ConsistentRead: true }),
    )
    return Item ? toRoomConnection(room, Item) : undefined
  }

  /** Makes a connection an active member of a room; false when it already was. */
  activate(room: string, user: User, connectionId: string, ttl: number): Promise<boolean> {
    return conditionally(() =>
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.roomConnection(room, connectionId),
          UpdateExpression: 'SET active = :t, room = :r, connectionId = :c, userId = :u, username = :n, gsi1pk = :g, gsi1sk = :s, #ttl = :ttl',
          ConditionExpression: 'attribute_not_exists(active)',
          ExpressionAttributeNames: { '#ttl': 'ttl' },
          ExpressionAttributeValues: {
            ':t': true,
            ':r': room,
            ':c': connectionId,
            ':u': user.userId,
            ':n': user.username,
            ':g': `CONN#${connectionId}`,
            ':s': `ROOM#${room}`,
            ':ttl': ttl,
          },
        }),
      ),
    )
  }

  /** Removes a connection from a room; what was there, or undefined when nothing was (so two
   *  concurrent removals never both count). */
  async removeConnection(room: string, connectionId: string): Promise<RoomConnection | undefined> {
    const { Attributes } = await this.db.send(
      new DeleteCommand({ TableName: this.tableName, Key: keys.roomConnection(room, connectionId), ReturnValues: 'ALL_OLD' }),
    )
    return Attributes ? toRoomConnection(room, Attributes) : undefined
  }

  /** Adds `delta` to the user's connection count in the room; the new count. */
  async countMemberConnection(room: string, user: User, delta: 1 | -1, ttl: number): Promise<number> {
    const { Attributes } = await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.member(room, user.userId),
        UpdateExpression: 'SET userId = :u, username = :n, #ttl = :ttl ADD connections :d',
        ExpressionAttributeNames: { '#ttl': 'ttl' },
        ExpressionAttributeValues: { ':u': user.userId, ':n': user.username, ':ttl': ttl, ':d': delta },
        ReturnValues: 'UPDATED_NEW',
      }),
    )
    return Number(Attributes?.connections ?? 0)
  }

  /** Drops the member item once no connection counts (a join in between keeps it). */
  async removeMemberIfEmpty(room: string, userId: string): Promise<void> {
    await conditionally(() =>
      this.db.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: keys.member(room, userId),
          ConditionExpression: 'connections <= :z',
          ExpressionAttributeValues: { ':z': 0 },
        }),
      ),
    )
  }

  /** Creates the room when new and adds `delta` to its member count; the new count. */
  async countMember(room: string, delta: 1 | 0 | -1, now: number, createdBy: string): Promise<number> {
    const { Attributes } = await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.room(room),
        UpdateExpression:
          'SET room = :r, gsi1pk = :g, gsi1sk = :r, createdAt = if_not_exists(createdAt, :now), createdBy = if_not_exists(createdBy, :by) ADD memberCount :d',
        ExpressionAttributeValues: { ':r': room, ':g': roomsIndexKey, ':now': new Date(now).toISOString(), ':by': createdBy, ':d': delta },
        ReturnValues: 'ALL_NEW',
      }),
    )
    return Math.max(0, Number(Attributes?.memberCount ?? 0))
  }

  /** Every connection in a room: one Query on the room's `CONN#` items. */
  async connections(room: string): Promise<RoomConnection[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :p AND begins_with(sk, :c)',
      ExpressionAttributeValues: { ':p': `ROOM#${room}`, ':c': 'CONN#' },
      ProjectionExpression: 'connectionId, userId, username, active',
    })
    return items.map((item) => toRoomConnection(room, item))
  }

  /** Public rooms with their member counts: one Query on gsi1. */
  async list(): Promise<RoomSummary[]> {
    const items = await queryAll(
      this.db,
      {
        TableName: this.tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :g',
        ExpressionAttributeValues: { ':g': roomsIndexKey },
        ProjectionExpression: 'room, memberCount',
      },
      maxListedRooms,
    )
    return items.map((item) => ({ room: item.room, memberCount: Math.max(0, Number(item.memberCount ?? 0)) }))
  }
}

function toRoomConnection(room: string, item: Record<string, any>): RoomConnection {
  return { room, connectionId: item.connectionId, userId: item.userId, username: item.username, active: item.active === true }
}
