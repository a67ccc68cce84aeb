// Typing indicators: ephemeral, never stored, pushed to the other users in the conversation.
// Throttled per connection and room: at most one per `typingIntervalMs`; more are acknowledged and
// dropped. The throttle lives in the sandbox's memory (free, no write): a typing event is a hint,
// so a client spread over several sandboxes getting one extra through is harmless, and the web
// client sends at most one per 3 s anyway.
import type { ChatContext } from './chat-context.ts'
import type { Conversations } from './conversations.ts'
import type { AckEvent, TypingFrame } from './protocol.ts'

export const typingIntervalMs = 2000
/** Bounds the throttle's memory in a long-lived sandbox. */
const maxTracked = 10_000

export class Typing {
  private readonly lastSent = new Map<string, number>()

  constructor(
    private readonly ctx: ChatContext,
    private readonly conversations: Conversations,
  ) {}

  async typing(connectionId: string, frame: TypingFrame): Promise<AckEvent> {
    const conversation = await this.conversations.enter(connectionId, frame.room)
    const now = this.ctx.now()
    const key = `${connectionId} ${conversation.room}`
    const last = this.lastSent.get(key)
    if (last !== undefined && now - last < typingIntervalMs) {
      return { type: 'ack', action: 'typing', room: conversation.room, throttled: true }
    }
    this.remember(key, now)
    const others = await this.conversations.others(conversation)
    await this.ctx.fanOut.send(others, { type: 'typing', room: conversation.room, user: conversation.user })
    return { type: 'ack', action: 'typing', room: conversation.room, throttled: false }
  }

  private remember(key: string, now: number): void {
    this.lastSent.delete(key)
    this.lastSent.set(key, now)
    // Insertion order is age order: drop the oldest once the map is full.
    if (this.lastSent.size > maxTracked) this.lastSent.delete(this.lastSent.keys().next().value!)
  }
}
