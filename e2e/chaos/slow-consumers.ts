// Phase 6: slow consumers. Clients join a room and stop reading their TCP socket; other users flood
// the room with messages of the maximum size (4,000 multi-byte characters) at their rate budget,
// while one normal member keeps reading. The emulator's RSS is sampled every second; afterwards the
// slow clients read again, so we see how the emulator ended them (close code) or what it kept.
import type { RawWebSocket } from '../fixtures/fidelity/raw-websocket.ts'
import { call, ok } from '../product-client.ts'
import { connectAs } from '../users.ts'
import type { TestClient } from '../ws-client.ts'
import { answerTo, openFuzzConnection } from './fuzz-connection.ts'
import { MemorySampler, type MemorySample } from './memory-sampler.ts'
import type { Supervisor } from './supervisor.ts'
import { Tally } from './tally.ts'

export const slowPhase = 'slow consumers'
const room = 'slow-consumers'
/** src/rate-limit.ts: 4 a second per user, sustained. */
const sendEveryMs = 250

export interface SlowOptions {
  readonly consumers: number
  readonly flooders: number
  readonly floodSeconds: number
}

export interface SlowResult {
  readonly baseline?: MemorySample
  readonly peak?: MemorySample
  readonly after?: MemorySample
  readonly sent: number
  readonly sendReplies: Tally
  /** The emulator's log of those sends: status, and the error when there was one. */
  readonly sendInvocations: Tally
  /** Bytes of one message event (4,000 characters of 2- and 3-byte UTF-8, plus its fields). */
  readonly messageBytes: number
  readonly normalReceived: number
  /** `$disconnect`s the emulator ran while the slow consumers were not reading, with when (s into the flood). */
  readonly disconnectsDuringFlood: number[]
  /** How each slow consumer ended once it read again: its close code, or `still open`. */
  readonly endings: Tally
  /** Messages the slow consumers got once they read again (their backlog), summed. */
  readonly backlogDelivered: number
  /** The emulator's stderr at the end of the flood (handlers' errors land there). */
  readonly stderr: readonly string[]
}

export async function slowConsumers(sup: Supervisor, options: SlowOptions): Promise<SlowResult> {
  sup.enter(slowPhase)
  const handshakes = new Tally()
  const slow: RawWebSocket[] = []
  for (let i = 0; i < options.consumers; i++) {
    const raw = await openFuzzConnection(sup, `slow${i % 5}`, handshakes)
    raw.sendFrame({ opcode: 1, payload: JSON.stringify({ action: 'joinroom', room }) })
    const { outcome } = await answerTo(raw, 5000, () => undefined)
    if (outcome !== 'reply room') throw new Error(`slow consumer ${i} could not join: ${outcome}`)
    slow.push(raw)
  }
  const proc = await sup.ready()
  const normal = await connectAs(proc, 'slow-reader')
  const flooders: TestClient[] = []
  for (let i = 0; i < options.flooders; i++) flooders.push(await connectAs(proc, `flooder${i}`))
  for (const c of [normal, ...flooders]) if ((await call(c, { action: 'joinroom', room })).type !== 'room') throw new Error('joinroom failed')
  // One send each first, so the sandboxes that will run the flood are warm before the baseline.
  for (const [i, f] of flooders.entries()) await ok(f, { action: 'sendmessage', room, text: `warm-up ${i}` })
  let normalReceived = 0
  normal.socket.on('message', (data) => {
    const frame = JSON.parse(String(data)) as { type?: string; text?: string }
    if (frame.type === 'message' && !frame.text?.startsWith('warm-up')) normalReceived++
  })
  for (const raw of slow) {
    // Take what arrived so far (joins, the warm-up), then stop reading.
    while (raw.frames.length > 0) raw.frames.shift()
    raw.pause()
  }

  const sampler = new MemorySampler(sup, 1000)
  const baseline = await sampler.take()
  const from = proc.log.length
  const sendReplies = new Tally()
  let sent = 0
  // At most 4,000 characters with the sequence number (protocol.ts maxTextLength).
  const text = (seq: number) => `${seq} ` + '€ü中'.repeat(1331)
  const messageBytes = Buffer.byteLength(text(0)) + 200
  for (const f of flooders) {
    f.socket.on('message', (data) => {
      const frame = JSON.parse(String(data)) as { type?: string; code?: string; message?: string; ref?: string }
      if (frame.ref?.startsWith('flood-')) sendReplies.count('sendmessage', frame.type === 'ack' ? 'ack' : `error ${frame.code}`)
      else if (frame.type === undefined && frame.message) sendReplies.count('sendmessage', `gateway "${frame.message}"`)
    })
  }
  const started = Date.now()
  const timers = flooders.map((f, i) =>
    setInterval(() => {
      const seq = sent++
      const body = JSON.stringify({ action: 'sendmessage', room, text: text(seq), ref: `flood-${seq}` })
      f.send(body)
    }, sendEveryMs + i),
  )
  await new Promise((r) => setTimeout(r, options.floodSeconds * 1000))
  for (const t of timers) clearInterval(t)
  // Let the last sends fan out, then see what the emulator did with the consumers that never read.
  await new Promise((r) => setTimeout(r, 3000))
  const peak = sampler.stop().max
  const disconnectsDuringFlood = proc.log
    .slice(from)
    .filter((e) => e.routeKey === '$disconnect')
    .map((e) => (Date.parse(e.time) - started) / 1000)

  let backlogDelivered = 0
  const endings = new Tally()
  for (const raw of slow) raw.resume()
  await Promise.all(
    slow.map(async (raw) => {
      for (;;) {
        const next = await raw.nextMessageOrClose(3000).catch(() => undefined)
        if (!next) return endings.count('slow consumer', 'still open after reading its backlog')
        if ('closed' in next) return endings.count('slow consumer', next.closed ? `close ${next.closed.code}` : 'TCP closed without a close frame')
        if (Buffer.concat(next.message.map((f) => f.payload)).toString().startsWith('{"type":"message"')) backlogDelivered++
      }
    }),
  )
  const stderr = proc.stderrTail(40)
  // Counted last: sends queued behind the slow consumers finish (or time out) well after the flood.
  const sendInvocations = new Tally()
  for (const e of proc.log.slice(from)) if (e.routeKey === 'sendmessage') sendInvocations.count('sendmessage', e.error ? `${e.status}: ${e.error.replace(/RequestId: \S+\s*/g, '').slice(0, 120)}` : e.status)
  const after = await sampler.take()
  for (const raw of slow) raw.end()
  await Promise.all([normal, ...flooders].map((c) => c.close().catch(() => undefined)))
  return { baseline, peak, after, sent, sendReplies, sendInvocations, messageBytes, normalReceived, disconnectsDuringFlood, endings, backlogDelivered, stderr }
}
