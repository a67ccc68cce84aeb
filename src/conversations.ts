// Where a message-like action happens and who may take part: a public room (the connection must have
// joined it; its room item says who the user is) or a direct conversation (the user must be one of
// the two the id names). Also who hears about it.
import type { ChatContext } from './chat-context.ts'
import type { Connections } from './connections.ts'
import { ChatError } from './errors.ts'
import type { User } from './protocol.ts'
import { parseRoomId } from './room-id.ts'

export type Conversation =
  | { readonly kind: 'room'; readonly room: string; readonly user: User }
  | { readonly kind: 'direct'; readonly room: string; readonly user: User; readonly peerId: string }

export class Conversations {
  constructor(
    private readonly ctx: ChatContext,
    private readonly connections: Connections,
  ) {}

  /** The conversation `roomId` names, for this connection; NOT_MEMBER when it may not take part. */
  async enter(connectionId: string, roomId: string): Promise<Conversation> {
    const ref = parseRoomId(roomId)
    if (ref.kind === 'room') {
      // One read proves membership and says who the user is.
      const place = await this.ctx.store.rooms.connection(ref.room, connectionId)
      if (!place) throw notMember(ref.room)
      return { kind: 'room', room: ref.room, user: { userId: place.userId, username: place.username } }
    }
    const me = await this.connections.identify(connectionId)
    const [a, b] = ref.userIds
    if (me.userId !== a && me.userId !== b) throw notMember(ref.room)
    return { kind: 'direct', room: ref.room, user: { userId: me.userId, username: me.username }, peerId: me.userId === a ? b : a }
  }

  /** Every connection that hears about the conversation: the room's, or all tabs of both users. */
  async audience(conversation: Conversation): Promise<string[]> {
    if (conversation.kind === 'room') return (await this.ctx.store.rooms.connections(conversation.room)).map((c) => c.connectionId)
    const { connections } = this.ctx.store
    const [mine, theirs] = await Promise.all([connections.ofUser(conversation.user.userId), connections.ofUser(conversation.peerId)])
    return [...mine, ...theirs]
  }

  /** The connections of everyone else (not the user's own tabs). */
  async others(conversation: Conversation): Promise<string[]> {
    if (conversation.kind === 'direct') return this.ctx.store.connections.ofUser(conversation.peerId)
    const present = await this.ctx.store.rooms.connections(conversation.room)
    return present.filter((c) => c.userId !== conversation.user.userId).map((c) => c.connectionId)
  }
}

function notMember(room: string): ChatError {
  return new ChatError('NOT_MEMBER', `Join "${room.slice(0, 80)}" first`, { room })
}
