// Public rooms: join (creating it when new, within the user's budget for new rooms), leave, and the
// list, most recently active first, a page at a time, with member counts read from the rooms' items.
import { maxRoomsPerConnection } from './action-limits.ts'
import type { ChatContext } from './chat-context.ts'
import { notConnected, type Connections } from './connections.ts'
import { ChatError } from './errors.ts'
import { onlineMembers, type Presence } from './presence.ts'
import { lobby, type AckEvent, type JoinRoomFrame, type LeaveRoomFrame, type ListRoomsFrame, type RoomEvent, type RoomsEvent } from './protocol.ts'
import type { RateLimit } from './rate-limit.ts'

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
    if (!me.rooms.includes(room) && !(await this.ctx.store.rooms.exists(room))) await this.rateLimit.take(me.userId, 'creates')
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
    return { type: 'room', room, memberCount: snapshot.members.length, members: snapshot.members, version: snapshot.version }
  }

  async leave(connectionId: string, frame: LeaveRoomFrame): Promise<AckEvent> {
    if (!(await this.connections.leaveRoom(frame.room, connectionId))) throw new ChatError('NOT_MEMBER', `You are not in "${frame.room}"`, { room: frame.room })
    await this.ctx.store.connections.leaveRoom(connectionId, frame.room)
    return { type: 'ack', action: 'leaveroom', room: frame.room }
  }

  async list(connectionId: string, frame: ListRoomsFrame): Promise<RoomsEvent> {
    const me = await this.connections.identify(connectionId)
    const page = await this.ctx.store.rooms.list(frame.limit, frame.cursor, this.ctx.now())
    // Counted from the items, as presence is: a room's count is never a counter that could drift
    // (read eventually consistent: a list may be a moment late, for half the read units).
    const rooms = await Promise.all(
      page.rooms.map(async ({ room, lastActivityAt }) => ({ room, lastActivityAt, memberCount: onlineMembers(await this.ctx.store.rooms.connections(room, false)).length })),
    )
    return { type: 'rooms', user: { userId: me.userId, username: me.username }, rooms, cursor: page.cursor ?? null }
  }
}
