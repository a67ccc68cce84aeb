// Item keys and lifetimes of the single chat table (tables.ts, design.md §5). The only place that
// spells a key; the stores build every request from these.

/** API Gateway closes every connection after 2 h; the margin lets $disconnect clean up first, and
 *  TTL sweeps whatever a lost $disconnect leaves behind. */
export const connectionLifetimeSeconds = 2 * 60 * 60 + 15 * 60
/** How long a clientMessageId makes a retried send a no-op. */
export const dedupeLifetimeSeconds = 24 * 60 * 60

/** gsi1 partition holding one item per public room, sorted by last activity: listing rooms is one Query. */
export const roomsIndexKey = 'ROOMS'
/** gsi1 partition of a user's direct conversations, sorted by their last message. */
export const directsIndexKey = (userId: string) => `DMS#${userId}`
/** A room nobody joins or writes in for this long leaves the room list (its messages stay). */
export const roomIdleLifetimeSeconds = 7 * 24 * 60 * 60
/** gsi1 sort key of a listed item: its last activity (ISO time), then its id, so newest sorts last. */
export const activityKey = (at: string, id: string) => `${at}#${id}`

export const keys = {
  /** A connection: who it is, its rooms and its current room. gsi1: USER#<userId> / CONN#<connId>. */
  connection: (connectionId: string) => ({ pk: `CONN#${connectionId}`, sk: 'META' }),
  /** A user's public profile (for direct messages): written on connect. */
  profile: (userId: string) => ({ pk: `USER#${userId}`, sk: 'PROFILE' }),
  /** A user's rate-limit state for one budget (rate-limit.ts). */
  rate: (userId: string, budget: string) => ({ pk: `USER#${userId}`, sk: `RATE#${budget}` }),
  /** A clientMessageId already used by this user: makes a retried send idempotent. */
  dedupe: (userId: string, clientMessageId: string) => ({ pk: `USER#${userId}`, sk: `CMID#${clientMessageId}` }),
  /** One of a user's direct conversations, for listing them. gsi1: DMS#<userId> / <lastMessageAt>#<room>. */
  direct: (userId: string, room: string) => ({ pk: `USER#${userId}`, sk: `DM#${room}` }),
  /** A room a user joined (from any tab, any browser): the page joins them again when it opens. */
  membership: (userId: string, room: string) => ({ pk: `USER#${userId}`, sk: `ROOM#${room}` }),
  /** A public room. gsi1: ROOMS / <lastActivityAt>#<room>. */
  room: (room: string) => ({ pk: `ROOM#${room}`, sk: 'META' }),
  /** A connection in a room (a listener, or an active member once it joined). */
  roomConnection: (room: string, connectionId: string) => ({ pk: `ROOM#${room}`, sk: `CONN#${connectionId}` }),
  message: (room: string, id: string) => ({ pk: `ROOM#${room}`, sk: `MSG#${id}` }),
} as const

export type ItemKey = { readonly pk: string; readonly sk: string }

export const epochSeconds = (ms: number) => Math.floor(ms / 1000)
