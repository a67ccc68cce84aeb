// Sending, editing and deleting messages in a room or a direct conversation. The server assigns the
// id (time-sortable) and the time. A message is stored before its audience is read, so a connection
// that joins meanwhile finds it either live or in history, never neither (protocol.ts, "No gaps").
// A send with a clientMessageId is exactly-once (send-claims.ts); the ack means every connection of
// the audience has been posted to.
import type { ChatContext } from './chat-context.ts'
import { isoTime } from './chat-context.ts'
import type { Connections } from './connections.ts'
import type { Conversation, Conversations } from './conversations.ts'
import type { DirectMessages } from './direct-messages.ts'
import { ChatError } from './errors.ts'
import type { Invocation } from './invocation.ts'
import { newMessageId } from './message-id.ts'
import type { AckEvent, ChatMessage, DeleteMessageFrame, EditMessageFrame, SendMessageFrame } from './protocol.ts'
import type { RateLimit } from './rate-limit.ts'
import { SendClaims, textHash, type Attempt } from './send-claims.ts'

export interface MessagesDeps {
  readonly connections: Connections
  readonly conversations: Conversations
  readonly directs: DirectMessages
  readonly rateLimit: RateLimit
}

export class Messages {
  private readonly claims: SendClaims

  constructor(
    private readonly ctx: ChatContext,
    private readonly deps: MessagesDeps,
  ) {
    this.claims = new SendClaims(ctx)
  }

  async send(connectionId: string, frame: SendMessageFrame, invocation: Invocation): Promise<AckEvent> {
    // The AWS tutorial frame names no room: it posts to the current one.
    const roomId = frame.room ?? (await this.deps.connections.identify(connectionId)).currentRoom
    const conversation = await this.deps.conversations.enter(connectionId, roomId)
    const { user, room } = conversation
    await this.deps.rateLimit.take(user.userId)
    const recordDirect = conversation.kind === 'direct' ? await this.deps.directs.prepare(conversation) : undefined
    const now = this.ctx.now()
    const fresh = { room, id: newMessageId(now), sentAt: isoTime(now), textHash: textHash(room, frame.text) }
    const attempt: Attempt =
      frame.clientMessageId === undefined ? { kind: 'first', send: fresh, delivered: [] } : await this.claims.begin(user.userId, frame.clientMessageId, fresh, invocation)
    if (attempt.kind === 'done') return ack(frame, attempt.send, true)
    const release = frame.clientMessageId === undefined ? () => {} : this.claims.hold(user.userId, frame.clientMessageId, invocation)
    try {
      return await this.deliver(frame, conversation, attempt, invocation, now, recordDirect)
    } finally {
      release()
    }
  }

  private async deliver(
    frame: SendMessageFrame,
    conversation: Conversation,
    attempt: Extract<Attempt, { kind: 'first' | 'retry' }>,
    invocation: Invocation,
    now: number,
    recordDirect: ((sentAt: string) => Promise<void>) | undefined,
  ): Promise<AckEvent> {
    const { send } = attempt
    const { user, room } = conversation
    const message: ChatMessage = { room: send.room, id: send.id, sentAt: send.sentAt, userId: user.userId, username: user.username, text: frame.text }
    // Stored first (a retry keeps what an edit or delete did since), then the audience is read.
    await this.ctx.store.messages.putNew(message)
    await Promise.all([recordDirect?.(message.sentAt), conversation.kind === 'room' ? this.ctx.store.rooms.active(room, now) : undefined])
    const audience = (await this.deps.conversations.audience(conversation)).filter((c) => !attempt.delivered.includes(c))
    const result = await this.ctx.fanOut.send(audience, { type: 'message', ...message }, { room, invocation })
    if (result.notAttempted.length > 0) {
      if (frame.clientMessageId !== undefined) await this.claims.checkpoint(user.userId, frame.clientMessageId, [...attempt.delivered, ...result.done])
      throw new ChatError(
        'INCOMPLETE',
        frame.clientMessageId === undefined
          ? 'The message is stored, but delivery was cut short: the others will see it in history'
          : 'The message is stored, but delivery was cut short: send it again with the same clientMessageId to finish',
        { id: send.id, room: send.room },
      )
    }
    if (frame.clientMessageId !== undefined) await this.claims.finish(user.userId, frame.clientMessageId)
    return ack(frame, send, attempt.kind === 'retry')
  }

  async edit(connectionId: string, frame: EditMessageFrame, invocation: Invocation): Promise<AckEvent> {
    const conversation = await this.deps.conversations.enter(connectionId, frame.room)
    await this.deps.rateLimit.take(conversation.user.userId)
    const editedAt = isoTime(this.ctx.now())
    if (!(await this.ctx.store.messages.edit(frame.room, frame.id, conversation.user.userId, frame.text, editedAt))) {
      throw await this.whyNot(frame.room, frame.id, conversation.user.userId)
    }
    await this.tell(conversation, { type: 'edited', room: frame.room, id: frame.id, text: frame.text, editedAt }, invocation)
    return reply(frame, { room: frame.room, id: frame.id })
  }

  async remove(connectionId: string, frame: DeleteMessageFrame, invocation: Invocation): Promise<AckEvent> {
    const conversation = await this.deps.conversations.enter(connectionId, frame.room)
    await this.deps.rateLimit.take(conversation.user.userId)
    const deletedAt = isoTime(this.ctx.now())
    if (!(await this.ctx.store.messages.softDelete(frame.room, frame.id, conversation.user.userId, deletedAt))) {
      throw await this.whyNot(frame.room, frame.id, conversation.user.userId)
    }
    await this.tell(conversation, { type: 'deleted', room: frame.room, id: frame.id, deletedAt }, invocation)
    return reply(frame, { room: frame.room, id: frame.id })
  }

  /** Edits and deletes are stored first too; history has them for whoever the fan-out missed. */
  private async tell(conversation: Conversation, event: Parameters<ChatContext['fanOut']['send']>[1], invocation: Invocation): Promise<void> {
    const audience = await this.deps.conversations.audience(conversation)
    await this.ctx.fanOut.send(audience, event, { room: conversation.room, invocation })
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
