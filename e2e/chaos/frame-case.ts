// One fuzz input for a WebSocket connection: the frames to write (each as RFC 6455 lays it out) and
// the class it belongs to, so outcomes can be counted per class and a crash traced to its input.
import { encodeFrame, opcodes } from '../fixtures/fidelity/raw-websocket.ts'

export interface FrameSpec {
  readonly opcode: number
  readonly payload: Buffer
  readonly fin?: boolean
  readonly rsv1?: boolean
  readonly masked?: boolean
}

export interface FrameCase {
  /** The class in the report, e.g. `binary frame`. */
  readonly class: string
  /** This input within the class, e.g. `sendmessage.text as array`. */
  readonly name: string
  readonly frames: readonly FrameSpec[]
  /** Bytes written as they are, instead of `frames` (a header no encoder would write). */
  readonly raw?: Buffer
  /** What the API Gateway spec says should happen, when it says (e.g. `close 1009`). */
  readonly expect?: string
}

export const text = (payload: string | Buffer): FrameSpec => ({ opcode: opcodes.text, payload: Buffer.isBuffer(payload) ? payload : Buffer.from(payload) })

/** `payload` as one message in frames of at most `frameBytes` (a 32 KB frame limit applies to each). */
export function fragmented(payload: string | Buffer, frameBytes = 32 * 1024): FrameSpec[] {
  const bytes = Buffer.isBuffer(payload) ? payload : Buffer.from(payload)
  const frames: FrameSpec[] = []
  for (let offset = 0; offset < bytes.length; offset += frameBytes) {
    const end = Math.min(offset + frameBytes, bytes.length)
    frames.push({ opcode: offset === 0 ? opcodes.text : opcodes.continuation, payload: bytes.subarray(offset, end), fin: end === bytes.length })
  }
  return frames
}

/** The bytes on the wire: masked frames (unless a spec says otherwise), back to back. */
export function wireBytes(c: FrameCase): Buffer {
  return c.raw ?? Buffer.concat(c.frames.map((f) => encodeFrame(f)))
}

/** The payloads joined, for a crash record or a sample: what the server was asked to read. */
export function payloadOf(c: FrameCase): Buffer {
  if (c.raw) return c.raw
  return Buffer.concat(c.frames.map((f) => f.payload))
}

/** How the frames were laid out, for a report: `text(120 B) + continuation(fin, 3 B)`. */
export function layoutOf(c: FrameCase): string {
  const names: Record<number, string> = { 0: 'continuation', 1: 'text', 2: 'binary', 8: 'close', 9: 'ping', 10: 'pong' }
  return c.frames
    .slice(0, 6)
    .map((f) => {
      const flags = [f.fin === false ? 'no FIN' : '', f.rsv1 ? 'RSV1' : '', f.masked === false ? 'unmasked' : ''].filter(Boolean)
      return `${names[f.opcode] ?? `opcode 0x${f.opcode.toString(16)}`}(${[...flags, `${f.payload.length} B`].join(', ')})`
    })
    .join(' + ')
    .concat(c.frames.length > 6 ? ` + ${c.frames.length - 6} more` : '')
}
