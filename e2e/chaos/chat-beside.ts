// A well-behaved chat running beside an attack: two users in one room take turns sending, and the
// other user's send→receive latency is measured. A client whose socket drops (a crash) reconnects
// and joins again; what it missed meanwhile counts as lost.
import { performance } from 'node:perf_hooks'
import { call } from '../product-client.ts'
import { connectAs } from '../users.ts'
import type { TestClient } from '../ws-client.ts'
import { summarize } from '../bench/stats.ts'
import type { Supervisor } from './supervisor.ts'

/** 150 ms between sends, alternating: each user sends about 3.3 a second, inside the 4/s budget (src/rate-limit.ts). */
const intervalMs = 150

export interface ChatFigures {
  readonly sent: number
  readonly acked: number
  readonly delivered: number
  /** Acknowledged, never delivered to the other user. */
  readonly lost: number
  /** Sent, never answered (no ack, no error). */
  readonly unanswered: number
  /** Not sent because a client was reconnecting. */
  readonly skipped: number
  readonly errors: Record<string, number>
  readonly reconnects: number
  readonly p50: number
  readonly p99: number
  readonly max: number
}

interface Seat {
  readonly username: string
  client: TestClient | undefined
}

export class ChatBeside {
  private readonly seats: Seat[]
  private readonly sentAt = new Map<number, { at: number; by: number }>()
  private readonly acked = new Set<number>()
  private readonly answered = new Set<number>()
  private readonly latencies = new Map<number, number>()
  private readonly errors: Record<string, number> = {}
  private seq = 0
  private skipped = 0
  private reconnects = 0
  private timer: NodeJS.Timeout | undefined
  private stopped = false

  constructor(
    private readonly sup: Supervisor,
    private readonly room: string,
    usernames: readonly [string, string],
  ) {
    this.seats = usernames.map((username) => ({ username, client: undefined }))
  }

  async start(): Promise<void> {
    await Promise.all(this.seats.map((_, i) => this.seat(i)))
    this.timer = setInterval(() => this.tick(), intervalMs)
  }

  /** Stops sending, waits (at most 10 s) for what was acknowledged to arrive, and closes. */
  async stop(): Promise<ChatFigures> {
    clearInterval(this.timer)
    const drainUntil = performance.now() + 10_000
    while (performance.now() < drainUntil && [...this.acked].some((seq) => !this.latencies.has(seq))) await new Promise((r) => setTimeout(r, 100))
    this.stopped = true
    await Promise.all(this.seats.map((s) => s.client?.close().catch(() => undefined)))
    const delivered = [...this.acked].filter((seq) => this.latencies.has(seq)).length
    const s = summarize([...this.latencies.values()])
    return {
      sent: this.seq,
      acked: this.acked.size,
      delivered: this.latencies.size,
      lost: this.acked.size - delivered,
      unanswered: this.seq - this.answered.size,
      skipped: this.skipped,
      errors: this.errors,
      reconnects: this.reconnects,
      ...s,
    }
  }

  private tick(): void {
    const by = this.seq % 2
    const sender = this.seats[by].client
    if (!sender || !this.seats[1 - by].client || sender.closeEvent) return void this.skipped++
    const seq = this.seq++
    this.sentAt.set(seq, { at: performance.now(), by })
    sender.send({ action: 'sendmessage', room: this.room, text: `chat ${seq}`, ref: `chat-${seq}` })
  }

  private async seat(i: number): Promise<void> {
    const seat = this.seats[i]
    for (let attempt = 0; !this.stopped; attempt++) {
      try {
        const proc = await this.sup.ready()
        const client = await connectAs(proc, seat.username)
        const joined = await call(client, { action: 'joinroom', room: this.room })
        if (joined.type !== 'room') throw new Error(`joinroom answered ${JSON.stringify(joined)}`)
        client.socket.on('message', (data) => this.received(i, data.toString()))
        client.socket.once('close', () => {
          seat.client = undefined
          if (!this.stopped) {
            this.reconnects++
            void this.seat(i)
          }
        })
        seat.client = client
        return
      } catch {
        await new Promise((r) => setTimeout(r, Math.min(2000, 250 * (attempt + 1))))
      }
    }
  }

  private received(at: number, data: string): void {
    let frame: { type?: string; text?: string; room?: string; ref?: string; code?: string; message?: string }
    try {
      frame = JSON.parse(data)
    } catch {
      return
    }
    const refSeq = frame.ref?.startsWith('chat-') ? Number(frame.ref.slice(5)) : undefined
    if (frame.type === 'message' && frame.room === this.room && frame.text?.startsWith('chat ')) {
      const seq = Number(frame.text.slice(5))
      const sent = this.sentAt.get(seq)
      if (sent && sent.by !== at && !this.latencies.has(seq)) this.latencies.set(seq, performance.now() - sent.at)
    } else if (refSeq !== undefined) {
      this.answered.add(refSeq)
      if (frame.type === 'ack') this.acked.add(refSeq)
      else this.count(frame.code ?? 'error')
    } else if (frame.type === undefined && frame.message !== undefined) {
      // API Gateway's own error frames carry no ref: count them; the send stays unanswered.
      this.count(`gateway: ${frame.message}`)
    }
  }

  private count(what: string): void {
    this.errors[what] = (this.errors[what] ?? 0) + 1
  }
}
