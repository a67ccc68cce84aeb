// What every part of the chat domain is handed by the composition in chat.ts: the store, delivery,
// the clock and the log. Nothing here knows Lambda or the SDK.
import type { ChatStore } from './adapters/chat-store.ts'
import type { FanOut, Logger } from './fan-out.ts'

export interface ChatContext {
  readonly store: ChatStore
  readonly fanOut: FanOut
  readonly now: () => number
  readonly log: Logger
}

export const isoTime = (ms: number) => new Date(ms).toISOString()
