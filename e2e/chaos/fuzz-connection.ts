// A fuzzing connection: a raw RFC 6455 client signed in as its own user, and how an answer to one
// input is read — the first reply or error frame, or the close, skipping chat events pushed meanwhile.
import { performance } from 'node:perf_hooks'
import { RawWebSocket, type RawFrame } from '../fixtures/fidelity/raw-websocket.ts'
import { idTokenFor } from '../users.ts'
import type { Supervisor } from './supervisor.ts'
import type { Tally } from './tally.ts'

const pushTypes = new Set(['message', 'presence', 'typing', 'edited', 'deleted'])

export interface Answer {
  /** e.g. `error BAD_FRAME`, `reply pong`, `gateway "Internal server error"`, `close 1009`. */
  readonly outcome: string
  readonly reply?: string
  /** The connection is over (closed, or no answer): open another. */
  readonly ends: boolean
}

/** Opens a connection as `username`, retrying (throttled, or the emulator restarting); counts handshake statuses. */
export async function openFuzzConnection(sup: Supervisor, username: string, handshakes: Tally): Promise<RawWebSocket> {
  for (let attempt = 0; ; attempt++) {
    try {
      const proc = await sup.ready()
      const token = await idTokenFor(proc, username)
      const raw = await RawWebSocket.connect(`${proc.url}?token=${encodeURIComponent(token)}`, { timeoutMs: 10_000 })
      handshakes.count('handshake', '101')
      return raw
    } catch (error) {
      const text = String(error)
      handshakes.count('handshake', /handshake refused: \S+ (\d+)/.exec(text)?.[1] ?? (text.includes('timed out') ? 'timed out' : /E[A-Z]+/.exec(text)?.[0] ?? text.slice(0, 40)))
      if (attempt > 50) throw error
      await new Promise((r) => setTimeout(r, Math.min(2000, 100 * (attempt + 1))))
    }
  }
}

export async function answerTo(raw: RawWebSocket, timeoutMs: number, onPush: () => void): Promise<Answer> {
  const deadline = performance.now() + timeoutMs
  for (;;) {
    const left = deadline - performance.now()
    const next = left > 0 ? await raw.nextMessageOrClose(left).catch(() => undefined) : undefined
    if (!next) return { outcome: `timeout (no answer in ${timeoutMs / 1000} s)`, ends: true }
    if ('closed' in next) return { outcome: next.closed ? `close ${next.closed.code}` : 'TCP closed without a close frame', ends: true }
    const reply = joined(next.message)
    const frame = parse(reply)
    if (typeof frame?.type === 'string' && pushTypes.has(frame.type)) {
      onPush()
      continue
    }
    if (frame?.type === 'error') return { outcome: `error ${String(frame.code)}`, reply, ends: false }
    if (typeof frame?.type === 'string') return { outcome: `reply ${frame.type}`, reply, ends: false }
    if (typeof frame?.message === 'string') return { outcome: `gateway "${frame.message}"`, reply, ends: false }
    return { outcome: 'reply (unrecognised)', reply, ends: false }
  }
}

function joined(frames: readonly RawFrame[]): string {
  return Buffer.concat(frames.map((f) => f.payload)).toString('utf8')
}

function parse(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text)
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}
