// Posts one event to many connections with bounded concurrency (bounded-all.ts). A gone peer is
// cleaned up (its items removed, its rooms told); any other failure is logged. Neither stops
// delivery to the rest, and nothing fails for everyone because one peer is gone.
import type { ConnectionPoster } from './adapters/connection-poster.ts'
import { boundedAll } from './bounded-all.ts'
import type { PushEvent } from './protocol.ts'

/** Posts in flight per fan-out: enough to hide round trips, few enough not to flood sockets. */
const fanOutConcurrency = 32

export type Logger = (line: Record<string, unknown>) => void

export class FanOut {
  constructor(
    private readonly poster: () => ConnectionPoster,
    private readonly onGone: (connectionId: string) => Promise<void>,
    private readonly log: Logger,
  ) {}

  async send(connectionIds: Iterable<string>, event: PushEvent): Promise<void> {
    const targets = [...new Set(connectionIds)]
    if (targets.length === 0) return
    const data = new TextEncoder().encode(JSON.stringify(event))
    const poster = this.poster()
    await boundedAll(targets, fanOutConcurrency, async (connectionId) => {
      try {
        if ((await poster.post(connectionId, data)) === 'gone') await this.onGone(connectionId)
      } catch (error) {
        this.log({ level: 'error', msg: 'delivery failed', connectionId, error: String(error) })
      }
    })
  }
}
