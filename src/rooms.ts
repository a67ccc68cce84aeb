// Public rooms: join (creating it when new, within the user's budget for new rooms, and telling
// everyone), leave, and the list, most recently active first, a page at a time, with member counts
// read from the rooms' items and the rooms the user joined (kept with the account).
import { maxRoomsPerConnection } from './action-limits.ts'
import { isoTime, type ChatContext } from './chat-context.ts'
import { notConnected, type Connections } from './connections.ts'
import { ChatError } from './errors.ts'
import { deadlineMarginMs } from './fan-out.ts'
import { onlineMembers, type Presence, type Snapshot } from './presence.ts'
import { lobby, type AckEvent, type JoinRoomFrame, type LeaveRoomFrame, type ListRoomsFrame, type RoomCreatedEvent, type RoomEvent, type RoomsEvent, type User } from './protocol.ts'
import type { RateLimit } from './rate-limit.ts'

/**
 * How long a new room's announcement may hold up its creator's answer: `roomcreated` is best effort
 * (protocol.md); whoever it did not reach sees the room when their list is read again.
 */
const announceBudgetMs = 1500

export class Rooms {
  constructor(
    private readonly ctx: ChatContext,
    private readonly connections: Connections,
    private readonly presence: Presence,
    private readonly rateLimit: RateLimit,
  ) {}

  /**
   * Joins (joining again just answers with the members) and makes it the current room. The room is
   * added to the connection's record first, which fails once the connection is gone, so a join
   * racing its own `$disconnect` never leaves the connection in the room (connection-store.ts).
   */
  async join(connectionId: string, frame: JoinRoomFrame): Promise<RoomEvent> {
    const me = await this.connections.identify(connectionId)
    const { room } = frame
    await this.rateLimit.take(me.userId, 'joins')
    const created = !me.rooms.includes(room) && !(await this.ctx.store.rooms.exists(room))
    if (created) await this.rateLimit.take(me.userId, 'creates')
    // The lobby, where every connection starts as a listener, does not count.
    const entered = await this.ctx.store.connections.enterRoom(connectionId, room, maxRoomsPerConnection + (me.rooms.includes(lobby) ? 1 : 0))
    if (entered === 'gone') throw notConnected()
    if (entered === 'full') throw new ChatError('TOO_MANY_ROOMS', `A connection may be in at most ${maxRoomsPerConnection} rooms: leave one first`, { maxRooms: maxRoomsPerConnection })
    const user = { userId: me.userId, username: me.username }
    const snapshot = await this.presence.join(room, user, connectionId)
    // The disconnect may have come between: it did not see this room, so this join takes it back.
    if (!(await this.ctx.store.connections.get(connectionId))) {
      await this.connections.leaveRoom(room, connectionId)
      throw notConnected()
    }
    // The lobby is every page's first room: it follows no account.
    if (room !== lobby) await this.ctx.store.memberships.add(me.userId, room, this.ctx.now())
    if (created) await this.announce(room, snapshot, connectionId)
    return { type: 'room', room, memberCount: snapshot.members.length, members: snapshot.members, version: snapshot.version }
  }

  /**
   * A new room (or one that expired and came back) is told to every connection, so room lists
   * grow without a reload: every connection listens in the lobby (protocol.md), and creating rooms
   * is rate limited per user, so this fan-out stays rare.
   */
  private async announce(room: string, snapshot: Snapshot, creator: string): Promise<void> {
    const everyone = await this.ctx.store.rooms.connections(lobby, false)
    const event: RoomCreatedEvent = { type: 'roomcreated', room, memberCount: snapshot.members.length, lastActivityAt: isoTime(this.ctx.now()), createdBy: snapshot.members[0] ?? null }
    // The creator's answer waits for this fan-out, and the lobby is everyone online (and, until their
    // TTL, connections whose `$disconnect` never came): it gets a budget, not the whole run.
    const until = Date.now() + announceBudgetMs
    await this.ctx.fanOut.send(
      everyone.map((c) => c.connectionId).filter((id) => id !== creator),
      event,
      { invocation: { remainingMs: () => until - Date.now() + deadlineMarginMs } },
    )
  }

  /** Leaves on this connection, and takes the room off the user's rooms (their other tabs stay until they leave). */
  async leave(connectionId: string, frame: LeaveRoomFrame, me: User): Promise<AckEvent> {
    if (!(await this.connections.leaveRoom(frame.room, connectionId))) throw new ChatError('NOT_MEMBER', `You are not in "${frame.room}"`, { room: frame.room })
    await Promise.all([this.ctx.store.connections.leaveRoom(connectionId, frame.room), this.ctx.store.memberships.remove(me.userId, frame.room)])
    return { type: 'ack', action: 'leaveroom', room: frame.room }
  }

  async list(connectionId: string, frame: ListRoomsFrame): Promise<RoomsEvent> {
    const me = await this.connections.identify(connectionId)
    // The user's own rooms come with the first page only.
    const [page, joined] = await Promise.all([this.ctx.store.rooms.list(frame.limit, frame.cursor, this.ctx.now()), frame.cursor ? undefined : this.ctx.store.memberships.rooms(me.userId)])
    // Counted from the items, as presence is: a room's count is never a counter that could drift
    // (read eventually consistent: a list may be a moment late, for half the read units).
    const rooms = await Promise.all(
      page.rooms.map(async ({ room, lastActivityAt }) => ({ room, lastActivityAt, memberCount: onlineMembers(await this.ctx.store.rooms.connections(room, false)).length })),
    )
    return { type: 'rooms', user: { userId: me.userId, username: me.username }, rooms, cursor: page.cursor ?? null, ...(joined ? { joined } : {}) }
  }
}
