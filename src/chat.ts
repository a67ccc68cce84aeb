// The chat domain: what connecting, leaving and talking mean. Knows nothing of Lambda or the SDK;
// it is handed a store and a poster (adapters) by the composition root in ws-handler.ts.
import type { ChatStore, ConnectionRecord } from './adapters/chat-store.ts'
import type { ConnectionPoster } from './adapters/connection-poster.ts'
import { boundedAll } from './bounded-all.ts'
import { ChatError } from './errors.ts'
import { newMessageId } from './message-id.ts'
import type { AckEvent, MessageEvent, SendMessageFrame } from './protocol.ts'
import type { User } from './identity.ts'

export const lobby = 'lobby'

/** Posts in flight per fan-out: enough to hide round trips, few enough not to flood sockets. */
const fanOutConcurrency = 32

export interface ChatDeps {
  readonly store: ChatStore
  readonly poster: () => ConnectionPoster
  readonly now?: () => number
  readonly log?: (line: Record<string, unknown>) => void
}

export class Chat {
  private readonly now: () => number
  private readonly log: (line: Record<string, unknown>) => void

  constructor(private readonly deps: ChatDeps) {
    this.now = deps.now ?? Date.now
    this.log = deps.log ?? ((line) => console.log(JSON.stringify(line)))
  }

  async connect(connectionId: string, connectedAt: number, user: User): Promise<void> {
    const record: ConnectionRecord = { connectionId, connectedAt, currentRoom: lobby, ...user }
    await this.deps.store.addConnection(record)
  }

  async disconnect(connectionId: string): Promise<void> {
    await this.deps.store.removeConnection(connectionId)
  }

  /** Stores a message and delivers it to every live connection in the sender's current room. */
  async say(connectionId: string, frame: SendMessageFrame): Promise<AckEvent> {
    const sender = await this.deps.store.getConnection(connectionId)
    if (!sender) throw new ChatError('NOT_CONNECTED', 'This connection is not registered; reconnect')
    const now = this.now()
    const message: MessageEvent = {
      type: 'message',
      room: sender.currentRoom,
      id: newMessageId(now),
      userId: sender.userId,
      username: sender.username,
      text: frame.text,
      sentAt: new Date(now).toISOString(),
    }
    const { type: _type, ...stored } = message
    // Storing and finding the audience are independent: do them at once.
    const [, members] = await Promise.all([this.deps.store.putMessage(stored), this.deps.store.roomMembers(message.room)])
    await this.deliver(members.map((m) => m.connectionId), JSON.stringify(message))
    return frame.clientMessageId === undefined
      ? { type: 'ack', action: 'sendmessage', id: message.id }
      : { type: 'ack', action: 'sendmessage', id: message.id, clientMessageId: frame.clientMessageId }
  }

  /**
   * Posts one frame to many connections. A gone peer is cleaned up; any other failure is logged.
   * Neither stops delivery to the rest.
   */
  private async deliver(connectionIds: readonly string[], data: string): Promise<void> {
    const poster = this.deps.poster()
    await boundedAll(connectionIds, fanOutConcurrency, async (connectionId) => {
      try {
        if ((await poster.post(connectionId, data)) === 'gone') await this.deps.store.removeConnection(connectionId)
      } catch (error) {
        this.log({ level: 'error', msg: 'delivery failed', connectionId, error: String(error) })
      }
    })
  }
}
