// Public rooms: join (creating it when new), leave, and the list with member counts.
import type { ChatContext } from './chat-context.ts'
import type { Connections } from './connections.ts'
import { ChatError } from './errors.ts'
import type { Presence } from './presence.ts'
import type { AckEvent, JoinRoomFrame, LeaveRoomFrame, RoomEvent, RoomsEvent } from './protocol.ts'
import type { RateLimit } from './rate-limit.ts'

export class Rooms {
  constructor(
    private readonly ctx: ChatContext,
    private readonly connections: Connections,
    private readonly presence: Presence,
    private readonly rateLimit: RateLimit,
  ) {}

  /** Joins (idempotent: joining again just answers with the members) and makes it the current room. */
  async join(connectionId: string, frame: JoinRoomFrame): Promise<RoomEvent> {
    const me = await this.connections.identify(connectionId)
    await this.rateLimit.take(me.userId)
    const user = { userId: me.userId, username: me.username }
    const [{ members }] = await Promise.all([
      this.presence.join(frame.room, user, connectionId),
      this.ctx.store.connections.setCurrentRoom(connectionId, frame.room),
    ])
    return { type: 'room', room: frame.room, memberCount: members.length, members }
  }

  async leave(connectionId: string, frame: LeaveRoomFrame): Promise<AckEvent> {
    const removed = await this.ctx.store.rooms.removeConnection(frame.room, connectionId)
    if (!removed) throw new ChatError('NOT_MEMBER', `You are not in "${frame.room}"`, { room: frame.room })
    await this.presence.leave(removed)
    return { type: 'ack', action: 'leaveroom', room: frame.room }
  }

  async list(connectionId: string): Promise<RoomsEvent> {
    const me = await this.connections.identify(connectionId)
    const [rooms, directs] = await Promise.all([this.ctx.store.rooms.list(), this.ctx.store.users.directs(me.userId)])
    return { type: 'rooms', user: { userId: me.userId, username: me.username }, rooms, directs }
  }
}
