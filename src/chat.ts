// The chat domain, composed: connections, rooms and presence, messages, history, direct messages,
// typing and the rate limit, each in its own file. Knows nothing of Lambda or the SDK; it is handed
// a store and a poster (adapters) by the composition root in ws-handler.ts.
import type { ChatStore } from './adapters/chat-store.ts'
import type { ConnectionPoster } from './adapters/connection-poster.ts'
import type { ChatContext } from './chat-context.ts'
import { Connections } from './connections.ts'
import { Conversations } from './conversations.ts'
import { DirectMessages } from './direct-messages.ts'
import { FanOut, type Logger } from './fan-out.ts'
import { History } from './history.ts'
import { Messages } from './messages.ts'
import { Presence } from './presence.ts'
import type { User } from './protocol.ts'
import { RateLimit } from './rate-limit.ts'
import { Rooms } from './rooms.ts'
import { Typing } from './typing.ts'

export interface ChatDeps {
  readonly store: ChatStore
  readonly poster: () => ConnectionPoster
  readonly now?: () => number
  readonly log?: Logger
}

export class Chat {
  readonly connections: Connections
  readonly rooms: Rooms
  readonly messages: Messages
  readonly history: History
  readonly directs: DirectMessages
  readonly typing: Typing

  constructor(deps: ChatDeps) {
    const log = deps.log ?? ((line) => console.log(JSON.stringify(line)))
    // A post that finds its peer gone removes that connection, which may tell its rooms it left.
    const fanOut = new FanOut(deps.poster, (connectionId, room) => this.connections.gone(connectionId, room), log)
    const ctx: ChatContext = { store: deps.store, fanOut, now: deps.now ?? Date.now, log }
    const presence = new Presence(ctx)
    const rateLimit = new RateLimit(ctx)
    this.connections = new Connections(ctx, presence)
    const conversations = new Conversations(ctx, this.connections)
    this.directs = new DirectMessages(ctx, this.connections)
    this.rooms = new Rooms(ctx, this.connections, presence, rateLimit)
    this.messages = new Messages(ctx, { connections: this.connections, conversations, directs: this.directs, rateLimit })
    this.history = new History(ctx, conversations)
    this.typing = new Typing(ctx, conversations)
  }

  /** $connect (src/handlers/connect.ts): the user comes from the verified identity. */
  connect(connectionId: string, connectedAt: number, user: User): Promise<void> {
    return this.connections.connect(connectionId, connectedAt, user)
  }

  /** $disconnect, best effort on AWS: TTL sweeps what it misses. */
  disconnect(connectionId: string): Promise<void> {
    return this.connections.remove(connectionId)
  }
}
