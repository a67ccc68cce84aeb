// Item keys and lifetimes of the single chat table (tables.ts, design.md §5). The only place that
// spells a key; the stores build every request from these.

/** API Gateway closes every connection after 2 h; the margin lets $disconnect clean up first, and
 *  TTL sweeps whatever a lost $disconnect leaves behind. */
export const connectionLifetimeSeconds = 2 * 60 * 60 + 15 * 60
/** How long a clientMessageId makes a retried send a no-op. */
export const dedupeLifetimeSeconds = 24 * 60 * 60

/** gsi1 partition holding one item per public room, so listing rooms is one Query. */
export const roomsIndexKey = 'ROOMS'

export const keys = {
  /** A connection: who it is and its current room. gsi1: USER#<userId> / CONN#<connId>. */
  connection: (connectionId: string) => ({ pk: `CONN#${connectionId}`, sk: 'META' }),
  /** A user's public profile (for direct messages): written on connect. */
  profile: (userId: string) => ({ pk: `USER#${userId}`, sk: 'PROFILE' }),
  /** A user's rate-limit state (rate-limit.ts). */
  rate: (userId: string) => ({ pk: `USER#${userId}`, sk: 'RATE' }),
  /** A clientMessageId already used by this user: makes a retried send idempotent. */
  dedupe: (userId: string, clientMessageId: string) => ({ pk: `USER#${userId}`, sk: `CMID#${clientMessageId}` }),
  /** One of a user's direct conversations, for listing them. */
  direct: (userId: string, room: string) => ({ pk: `USER#${userId}`, sk: `DM#${room}` }),
  /** A public room. gsi1: ROOMS / <room>. */
  room: (room: string) => ({ pk: `ROOM#${room}`, sk: 'META' }),
  /** A user online in a room, with a counter of their connections there. */
  member: (room: string, userId: string) => ({ pk: `ROOM#${room}`, sk: `MEMBER#${userId}` }),
  /** A connection in a room. gsi1: CONN#<connId> / ROOM#<room>. */
  roomConnection: (room: string, connectionId: string) => ({ pk: `ROOM#${room}`, sk: `CONN#${connectionId}` }),
  message: (room: string, id: string) => ({ pk: `ROOM#${room}`, sk: `MSG#${id}` }),
} as const

export type ItemKey = { readonly pk: string; readonly sk: string }

export const epochSeconds = (ms: number) => Math.floor(ms / 1000)
