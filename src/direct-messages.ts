// Direct conversations between two users. The room id comes from the two user ids (room-id.ts), so
// opening one stores nothing; the first message puts it in both users' lists.
import type { ChatContext } from './chat-context.ts'
import type { Connections } from './connections.ts'
import type { Conversation } from './conversations.ts'
import { ChatError } from './errors.ts'
import type { DirectEvent, DirectsEvent, ListDirectsFrame, OpenDirectFrame, User } from './protocol.ts'
import { dmRoomId } from './room-id.ts'

export class DirectMessages {
  constructor(
    private readonly ctx: ChatContext,
    private readonly connections: Connections,
  ) {}

  async open(connectionId: string, frame: OpenDirectFrame): Promise<DirectEvent> {
    const me = await this.connections.identify(connectionId)
    if (frame.userId === me.userId) throw new ChatError('BAD_FRAME', 'userId must be someone else: a direct conversation has two people')
    const peer = await this.ctx.store.users.profile(frame.userId)
    if (!peer) throw new ChatError('USER_NOT_FOUND', 'No such user', { userId: frame.userId })
    return { type: 'direct', room: dmRoomId(me.userId, peer.userId), userId: peer.userId, username: peer.username }
  }

  /** The user's direct conversations, most recent first, a page at a time. */
  async list(connectionId: string, frame: ListDirectsFrame): Promise<DirectsEvent> {
    const me = await this.connections.identify(connectionId)
    const page = await this.ctx.store.users.directs(me.userId, frame.limit, frame.cursor)
    return { type: 'directs', directs: page.directs, cursor: page.cursor ?? null }
  }

  /** Before a message is stored: the peer must exist. Returns what to record once it is stored. */
  async prepare(conversation: Extract<Conversation, { kind: 'direct' }>): Promise<(sentAt: string) => Promise<void>> {
    const peer = await this.ctx.store.users.profile(conversation.peerId)
    if (!peer) throw new ChatError('USER_NOT_FOUND', 'No such user', { userId: conversation.peerId })
    return (sentAt) => this.record(conversation.room, conversation.user, peer, sentAt)
  }

  private async record(room: string, me: User, peer: User, sentAt: string): Promise<void> {
    const { users } = this.ctx.store
    await Promise.all([users.touchDirect(me.userId, room, peer, sentAt), users.touchDirect(peer.userId, room, me, sentAt)])
  }
}
