// Posts one event to many connections with bounded concurrency. A gone peer is cleaned up (its items
// removed, its rooms told); any other failure is logged. Neither stops delivery to the rest, and
// nothing fails for everyone because one peer is gone. With an invocation's deadline, it starts no
// post once too little time is left, and says who has the event, so a retry can finish the rest.
import type { ConnectionPoster } from './adapters/connection-poster.ts'
import { unbounded, type Invocation } from './invocation.ts'
import type { PushEvent } from './protocol.ts'

/** Posts in flight per fan-out: enough to hide round trips, few enough not to flood sockets. */
const fanOutConcurrency = 32
/** Time kept back at the end of an invocation: the posts in flight finish and the progress is stored. */
export const deadlineMarginMs = 1000

export type Logger = (line: Record<string, unknown>) => void

export interface FanOutOptions {
  /** The room the event is about: a connection found gone there leaves it at once. */
  readonly room?: string
  readonly invocation?: Invocation
}

export interface FanOutResult {
  /** Connections that have the event, or that are gone (and need it no more). */
  readonly done: readonly string[]
  /** The deadline came first: these were not posted to. */
  readonly notAttempted: readonly string[]
}

export class FanOut {
  constructor(
    private readonly poster: () => ConnectionPoster,
    private readonly onGone: (connectionId: string, room: string | undefined) => Promise<void>,
    private readonly log: Logger,
  ) {}

  async send(connectionIds: Iterable<string>, event: PushEvent, options: FanOutOptions = {}): Promise<FanOutResult> {
    const targets = [...new Set(connectionIds)]
    if (targets.length === 0) return { done: [], notAttempted: [] }
    const data = new TextEncoder().encode(JSON.stringify(event))
    const poster = this.poster()
    const invocation = options.invocation ?? unbounded
    const done: string[] = []
    let next = 0
    const worker = async () => {
      while (next < targets.length && invocation.remainingMs() > deadlineMarginMs) {
        const connectionId = targets[next++]
        try {
          if ((await poster.post(connectionId, data)) === 'gone') await this.onGone(connectionId, options.room)
          done.push(connectionId)
        } catch (error) {
          this.log({ level: 'error', msg: 'delivery failed', connectionId, error: String(error) })
        }
      }
    }
    await Promise.all(Array.from({ length: Math.min(fanOutConcurrency, targets.length) }, worker))
    return { done, notAttempted: targets.slice(next) }
  }
}
