// A room's history, newest first, a page at a time, from any point (message ids as bounds). The
// reply must fit one WebSocket message (128 KB), so a page is also cut by size, with a cursor.
import type { ChatContext } from './chat-context.ts'
import type { Conversations } from './conversations.ts'
import type { ChatMessage, HistoryEvent, HistoryFrame } from './protocol.ts'

/** Room for the frame's envelope under API Gateway's 128 KB message limit. */
const maxReplyBytes = 100 * 1024

export class History {
  constructor(
    private readonly ctx: ChatContext,
    private readonly conversations: Conversations,
  ) {}

  async page(connectionId: string, frame: HistoryFrame): Promise<HistoryEvent> {
    const conversation = await this.conversations.enter(connectionId, frame.room)
    const page = await this.ctx.store.messages.history(conversation.room, frame)
    const messages: ChatMessage[] = []
    let bytes = 0
    for (const message of page.messages) {
      bytes += Buffer.byteLength(JSON.stringify(message)) + 1
      if (bytes > maxReplyBytes && messages.length > 0) break
      messages.push(message)
    }
    const cut = messages.length < page.messages.length
    return { type: 'history', room: conversation.room, messages, cursor: (page.more || cut) && messages.length > 0 ? messages[messages.length - 1].id : null }
  }
}
