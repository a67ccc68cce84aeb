// Who is online in a room. Members are users, not connections: a user's first connection in a room
// makes them join (others are told), their last one leaving makes them leave. The per-user counter's
// atomic ADD decides which connection is first or last, so concurrent tabs never double-count.
import type { RoomConnection } from './adapters/connection-store.ts'
import { connectionLifetimeSeconds, epochSeconds } from './adapters/table-keys.ts'
import type { ChatContext } from './chat-context.ts'
import type { User } from './protocol.ts'

export interface Joined {
  /** The online members, the joiner included. */
  readonly members: User[]
}

export class Presence {
  constructor(private readonly ctx: ChatContext) {}

  /** Makes the connection an active member (creating the room when new) and tells the others. */
  async join(room: string, user: User, connectionId: string): Promise<Joined> {
    const { rooms } = this.ctx.store
    const now = this.ctx.now()
    const ttl = epochSeconds(now) + connectionLifetimeSeconds
    let first = false
    if (await rooms.activate(room, user, connectionId, ttl)) {
      first = (await rooms.countMemberConnection(room, user, 1, ttl)) === 1
    }
    const [memberCount, present] = await Promise.all([
      // Always: it also creates the room when new; the count moves only on the user's first tab.
      rooms.countMember(room, first ? 1 : 0, now, user.userId),
      rooms.connections(room),
    ])
    const members = onlineMembers(present)
    if (first) {
      const others = present.filter((c) => c.userId !== user.userId).map((c) => c.connectionId)
      await this.ctx.fanOut.send(others, { type: 'presence', room, event: 'joined', user, memberCount })
    }
    return { members }
  }

  /** After a connection left a room (its item already deleted): the user leaves with their last one. */
  async leave(removed: RoomConnection): Promise<void> {
    if (!removed.active) return
    const { rooms } = this.ctx.store
    const now = this.ctx.now()
    const user = { userId: removed.userId, username: removed.username }
    const left = await rooms.countMemberConnection(removed.room, user, -1, epochSeconds(now) + connectionLifetimeSeconds)
    if (left > 0) return
    // Below zero means a count went astray (a lost $disconnect, say): tidy up, tell no one twice.
    if (left < 0) return rooms.removeMemberIfEmpty(removed.room, user.userId)
    const [memberCount, present] = await Promise.all([
      rooms.countMember(removed.room, -1, now, user.userId),
      rooms.connections(removed.room),
      rooms.removeMemberIfEmpty(removed.room, user.userId),
    ])
    await this.ctx.fanOut.send(
      present.filter((c) => c.userId !== user.userId).map((c) => c.connectionId),
      { type: 'presence', room: removed.room, event: 'left', user, memberCount },
    )
  }
}

/** Distinct users with an active connection in the room. */
export function onlineMembers(present: readonly RoomConnection[]): User[] {
  const members = new Map<string, User>()
  for (const c of present) if (c.active && !members.has(c.userId)) members.set(c.userId, { userId: c.userId, username: c.username })
  return [...members.values()].sort((a, b) => a.username.localeCompare(b.username))
}
