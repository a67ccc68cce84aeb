// A ping flood on one connection, three ways: paced (50 pings in flight, pongs read as they come),
// one write of thousands read as they come, and one write while the socket stays unread for 3 s.
// Then a heartbeat shows whether the connection still works. Pings draw pongs (RFC 6455 §5.5.2) and
// invoke nothing (spec §10.2); `ws` ends a peer with more than 60 pongs unsent (maxPendingAutoPongs).
import { performance } from 'node:perf_hooks'
import { encodeFrame, opcodes, type RawWebSocket } from '../fixtures/fidelity/raw-websocket.ts'
import { answerTo } from './fuzz-connection.ts'

export const floodModes = {
  paced: 'ping flood (50 in flight, reading pongs)',
  burst: 'ping flood (one write, reading pongs)',
  unread: 'ping flood (one write, not reading for 3 s)',
} as const
export type FloodMode = keyof typeof floodModes

const window = 50
const pongWaitMs = 10_000

export async function pingFlood(raw: RawWebSocket, pings: number, mode: FloodMode): Promise<string> {
  const ping = (i: number) => encodeFrame({ opcode: opcodes.ping, payload: Buffer.from(`p${i}`) })
  const before = pongs(raw)
  const waitFor = async (count: number) => {
    const deadline = performance.now() + pongWaitMs
    while (pongs(raw) - before < count && !raw.ended && performance.now() < deadline) await new Promise((r) => setTimeout(r, 10))
  }
  if (mode === 'paced') {
    for (let sent = 0; sent < pings && !raw.ended; ) {
      const batch = Math.min(window, pings - sent)
      raw.writeRaw(Buffer.concat(Array.from({ length: batch }, (_, i) => ping(sent + i))))
      sent += batch
      await waitFor(sent)
      if (pongs(raw) - before < sent) break
    }
  } else {
    if (mode === 'unread') raw.pause()
    raw.writeRaw(Buffer.concat(Array.from({ length: pings }, (_, i) => ping(i))))
    if (mode === 'unread') {
      await new Promise((r) => setTimeout(r, 3000))
      raw.resume()
    }
    await waitFor(pings)
  }
  const got = pongs(raw) - before
  const answered = got === pings ? 'all pongs' : `${got}/${pings} pongs`
  if (raw.ended || raw.closeFrame) return `${answered}, then ${raw.closeFrame ? `close ${raw.closeFrame.code}` : 'TCP closed without a close frame'}`
  raw.sendFrame({ opcode: opcodes.text, payload: '{"action":"heartbeat"}' })
  const { outcome } = await answerTo(raw, 5000, () => undefined)
  return `${answered}, then heartbeat: ${outcome}`
}

function pongs(raw: RawWebSocket): number {
  let n = 0
  for (const f of raw.control) if (f.opcode === opcodes.pong) n++
  return n
}
