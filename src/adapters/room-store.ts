// Rooms and the connections in them. Who is in a room is never counted: it is read from the room's
// `CONN#` items (one strongly consistent Query), which TTL sweeps when a `$disconnect` is lost, so
// members and counts can be late by one sweep but never wrong for good. The room item carries what
// cannot be derived: when it was created, its last activity (for the list, newest first), and
// `presenceVersion`, bumped after every change of who is there so clients can order presence events.
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import type { User } from '../protocol.ts'
import type { RoomConnection } from './connection-store.ts'
import { isConditionFailed } from './dynamo-errors.ts'
import { queryAll } from './query-all.ts'
import { activityKey, epochSeconds, keys, roomIdleLifetimeSeconds, roomsIndexKey } from './table-keys.ts'

export interface ListedRoom {
  readonly room: string
  readonly lastActivityAt: string
}

export interface RoomPage {
  readonly rooms: readonly ListedRoom[]
  /** Pass back to get the next (older) page; undefined at the end. */
  readonly cursor: string | undefined
}

/** Activity moves a room up the list at most this often (a message per second must not rewrite it). */
const activityGranularityMs = 60_000

export class RoomStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async exists(room: string): Promise<boolean> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.room(room), ProjectionExpression: 'pk' }))
    return Item !== undefined
  }

  async connection(room: string, connectionId: string): Promise<RoomConnection | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.roomConnection(room, connectionId), ConsistentRead: true }))
    return Item ? toRoomConnection(room, Item) : undefined
  }

  /** Puts the connection in the room as an active member (a repeat just rewrites the same item). */
  async putMember(room: string, user: User, connectionId: string, joinedAt: number, ttl: number): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.roomConnection(room, connectionId), room, connectionId, userId: user.userId, username: user.username, active: true, joinedAt, ttl },
      }),
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

  /**
   * After a change of who is in the room: creates the room when new, moves it to the top of the list,
   * keeps it from expiring, and bumps its presence version (returned).
   */
  async changed(room: string, now: number, by: string): Promise<number> {
    const at = new Date(now).toISOString()
    const { Attributes } = await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.room(room),
        UpdateExpression:
          'SET room = :r, gsi1pk = :g, gsi1sk = :s, lastActivityAt = :at, createdAt = if_not_exists(createdAt, :at), createdBy = if_not_exists(createdBy, :by), #ttl = :ttl ADD presenceVersion :one',
        ExpressionAttributeNames: { '#ttl': 'ttl' },
        ExpressionAttributeValues: { ':r': room, ':g': roomsIndexKey, ':s': activityKey(at, room), ':at': at, ':by': by, ':ttl': epochSeconds(now) + roomIdleLifetimeSeconds, ':one': 1 },
        ReturnValues: 'UPDATED_NEW',
      }),
    )
    return Number(Attributes?.presenceVersion ?? 0)
  }

  /** A message was posted: the room moves up the list (at most once a minute) and stays listed. */
  async active(room: string, now: number): Promise<void> {
    const at = new Date(now).toISOString()
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.room(room),
          UpdateExpression: 'SET gsi1sk = :s, lastActivityAt = :at, #ttl = :ttl',
          ConditionExpression: 'attribute_exists(pk) AND lastActivityAt < :stale',
          ExpressionAttributeNames: { '#ttl': 'ttl' },
          ExpressionAttributeValues: { ':s': activityKey(at, room), ':at': at, ':ttl': epochSeconds(now) + roomIdleLifetimeSeconds, ':stale': new Date(now - activityGranularityMs).toISOString() },
        }),
      )
    } catch (error) {
      if (!isConditionFailed(error)) throw error
    }
  }

  /**
   * Every connection in a room: one Query on the room's `CONN#` items, strongly consistent unless
   * `consistent` is false (a list's counts may be a moment late, for half the read units).
   */
  async connections(room: string, consistent = true): Promise<RoomConnection[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :p AND begins_with(sk, :c)',
      ExpressionAttributeValues: { ':p': `ROOM#${room}`, ':c': 'CONN#' },
      ProjectionExpression: 'connectionId, userId, username, active, joinedAt',
      ConsistentRead: consistent,
    })
    return items.map((item) => toRoomConnection(room, item))
  }

  /**
   * Public rooms, most recently active first, a page at a time. `cursor` is the last listed room's
   * index key (`<lastActivityAt>#<room>`, checked by the frame parser). Rooms whose expiry has passed
   * but that TTL has not deleted yet are left out, as if deleted.
   */
  async list(limit: number, cursor: string | undefined, now: number): Promise<RoomPage> {
    const { Items = [], LastEvaluatedKey } = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :g',
        ExpressionAttributeValues: { ':g': roomsIndexKey },
        ScanIndexForward: false,
        Limit: limit,
        ...(cursor ? { ExclusiveStartKey: { gsi1pk: roomsIndexKey, gsi1sk: cursor, ...keys.room(cursor.slice(cursor.indexOf('#') + 1)) } } : {}),
      }),
    )
    const live = Items.filter((item) => typeof item.ttl !== 'number' || item.ttl > epochSeconds(now))
    return {
      rooms: live.map((item) => ({ room: item.room, lastActivityAt: item.lastActivityAt ?? item.createdAt })),
      cursor: LastEvaluatedKey ? String(LastEvaluatedKey.gsi1sk) : undefined,
    }
  }
}

function toRoomConnection(room: string, item: Record<string, any>): RoomConnection {
  return { room, connectionId: item.connectionId, userId: item.userId, username: item.username, active: item.active === true, joinedAt: Number(item.joinedAt ?? 0) }
}
