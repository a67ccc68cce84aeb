// Sending, editing and deleting messages in a room or a direct conversation. The server assigns the
// id (time-sortable) and the time; a clientMessageId makes a retried send store nothing new.
import type { ChatContext } from './chat-context.ts'
import { isoTime } from './chat-context.ts'
import type { Connections } from './connections.ts'
import type { Conversations } from './conversations.ts'
import type { DirectMessages } from './direct-messages.ts'
import { ChatError } from './errors.ts'
import { newMessageId } from './message-id.ts'
import type { AckEvent, ChatMessage, DeleteMessageFrame, EditMessageFrame, SendMessageFrame } from './protocol.ts'
import type { RateLimit } from './rate-limit.ts'

export interface MessagesDeps {
  readonly connections: Connections
  readonly conversations: Conversations
  readonly directs: DirectMessages
  readonly rateLimit: RateLimit
}

export class Messages {
  constructor(
    private readonly ctx: ChatContext,
    private readonly deps: MessagesDeps,
  ) {}

  async send(connectionId: string, frame: SendMessageFrame): Promise<AckEvent> {
    // The AWS tutorial frame names no room: it posts to the current one.
    const roomId = frame.room ?? (await this.deps.connections.identify(connectionId)).currentRoom
    const conversation = await this.deps.conversations.enter(connectionId, roomId)
    const { user, room } = conversation
    await this.deps.rateLimit.take(user.userId)
    const recordDirect = conversation.kind === 'direct' ? await this.deps.directs.prepare(conversation) : undefined
    const now = this.ctx.now()
    let send = { room, id: newMessageId(now), sentAt: isoTime(now) }
    if (frame.clientMessageId !== undefined) {
      const claim = await this.ctx.store.messages.claim(user.userId, frame.clientMessageId, send, now)
      if (claim !== 'claimed') {
        // A retry. If the first attempt got as far as storing, answer as it did; if it died before,
        // finish its work under the id it claimed.
        if (claim.room !== room || (await this.ctx.store.messages.get(claim.room, claim.id))) return ack(frame, claim, true)
        send = claim
      }
    }
    const message: ChatMessage = { ...send, userId: user.userId, username: user.username, text: frame.text }
    // Storing and finding the audience are independent: do them at once.
    const [audience] = await Promise.all([
      this.deps.conversations.audience(conversation),
      this.ctx.store.messages.put(message),
      recordDirect?.(message.sentAt),
    ])
    await this.ctx.fanOut.send(audience, { type: 'message', ...message })
    return ack(frame, send, false)
  }

  async edit(connectionId: string, frame: EditMessageFrame): Promise<AckEvent> {
    const conversation = await this.deps.conversations.enter(connectionId, frame.room)
    await this.deps.rateLimit.take(conversation.user.userId)
    const editedAt = isoTime(this.ctx.now())
    if (!(await this.ctx.store.messages.edit(frame.room, frame.id, conversation.user.userId, frame.text, editedAt))) {
      throw await this.whyNot(frame.room, frame.id, conversation.user.userId)
    }
    const audience = await this.deps.conversations.audience(conversation)
    await this.ctx.fanOut.send(audience, { type: 'edited', room: frame.room, id: frame.id, text: frame.text, editedAt })
    return reply(frame, { room: frame.room, id: frame.id })
  }

  async remove(connectionId: string, frame: DeleteMessageFrame): Promise<AckEvent> {
    const conversation = await this.deps.conversations.enter(connectionId, frame.room)
    await this.deps.rateLimit.take(conversation.user.userId)
    const deletedAt = isoTime(this.ctx.now())
    if (!(await this.ctx.store.messages.softDelete(frame.room, frame.id, conversation.user.userId, deletedAt))) {
      throw await this.whyNot(frame.room, frame.id, conversation.user.userId)
    }
    const audience = await this.deps.conversations.audience(conversation)
    await this.ctx.fanOut.send(audience, { type: 'deleted', room: frame.room, id: frame.id, deletedAt })
    return reply(frame, { room: frame.room, id: frame.id })
  }

  /** A conditional edit or delete failed: say why (the rare path pays the extra read). */
  private async whyNot(room: string, id: string, userId: string): Promise<ChatError> {
    const message = await this.ctx.store.messages.get(room, id)
    if (message && !message.deleted && message.userId !== userId) return new ChatError('NOT_OWNER', 'You can only change your own messages', { id })
    return new ChatError('NOT_FOUND', 'No such message (or it was deleted)', { id })
  }
}

function ack(frame: SendMessageFrame, send: { room: string; id: string; sentAt: string }, duplicate: boolean): AckEvent {
  return reply(frame, {
    room: send.room,
    id: send.id,
    sentAt: send.sentAt,
    ...(frame.clientMessageId === undefined ? {} : { clientMessageId: frame.clientMessageId }),
    ...(duplicate ? { duplicate: true as const } : {}),
  })
}

function reply(frame: { action: AckEvent['action'] }, fields: Omit<AckEvent, 'type' | 'action' | 'ref'>): AckEvent {
  return { type: 'ack', action: frame.action, ...fields }
}
