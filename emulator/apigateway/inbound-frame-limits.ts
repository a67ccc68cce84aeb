// API Gateway's limits on what a client may send, checked frame by frame as the bytes arrive
// (spec §1.8, §1.9). `ws` only knows a per-message limit (`maxPayload`), so this reads the frame
// headers of the raw stream itself, ahead of `ws`: a frame over 32 KB closes with 1009 even when
// the message it belongs to is small, while a 100 KB message sent as 32 KB fragments passes.

export interface InboundLimits {
  /** §1.9: 32 KB per frame. */
  readonly maxFrameBytes: number
  /** §1.9: 128 KB per message (uncompressed frames; `ws` checks inflated ones). */
  readonly maxMessageBytes: number
}

export type InboundViolation =
  /** §1.9: close 1009. */
  | 'frame-too-big'
  /** §1.9: close 1009. */
  | 'message-too-big'
  /** §1.8: close 1003. */
  | 'binary'

const OPCODE_CONTINUATION = 0x0
const OPCODE_BINARY = 0x2

/**
 * Feed it every chunk the client sends (`push`); it calls `onViolation` once, at the first frame
 * header that breaks a limit, and then stops looking. It never changes or holds the data.
 */
export class InboundFrameLimits {
  private readonly header = Buffer.alloc(14)
  private headerBytes = 0
  private payloadLeft = 0
  private messageBytes = 0
  private compressed = false
  private stopped = false

  constructor(
    private readonly limits: InboundLimits,
    private readonly onViolation: (violation: InboundViolation) => void,
  ) {}

  push(chunk: Buffer): void {
    let i = 0
    while (i < chunk.length && !this.stopped) {
      if (this.payloadLeft > 0) {
        const skip = Math.min(this.payloadLeft, chunk.length - i)
        this.payloadLeft -= skip
        i += skip
        continue
      }
      this.header[this.headerBytes++] = chunk[i++]
      const needed = headerLength(this.header, this.headerBytes)
      if (needed === undefined || this.headerBytes < needed) continue
      this.frame(payloadLength(this.header))
      this.headerBytes = 0
    }
  }

  private frame(payload: number): void {
    const first = this.header[0]
    const opcode = first & 0x0f
    this.payloadLeft = payload
    // Control frames (close, ping, pong) are at most 125 bytes and belong to no message.
    if (opcode >= 0x8) return
    if (opcode !== OPCODE_CONTINUATION) {
      this.messageBytes = 0
      // RSV1 marks a permessage-deflate message: its size on the wire says nothing of its size.
      this.compressed = (first & 0x40) !== 0
    }
    if (opcode === OPCODE_BINARY) return this.violated('binary')
    if (payload > this.limits.maxFrameBytes) return this.violated('frame-too-big')
    if (!this.compressed) {
      this.messageBytes += payload
      if (this.messageBytes > this.limits.maxMessageBytes) return this.violated('message-too-big')
    }
  }

  private violated(violation: InboundViolation): void {
    this.stopped = true
    this.onViolation(violation)
  }
}

/** Bytes in the whole header (RFC 6455 §5.2), once the first two are known. */
function headerLength(header: Buffer, have: number): number | undefined {
  if (have < 2) return undefined
  const length7 = header[1] & 0x7f
  const extended = length7 === 126 ? 2 : length7 === 127 ? 8 : 0
  const mask = (header[1] & 0x80) !== 0 ? 4 : 0
  return 2 + extended + mask
}

function payloadLength(header: Buffer): number {
  const length7 = header[1] & 0x7f
  if (length7 === 126) return header.readUInt16BE(2)
  if (length7 === 127) return Number(header.readBigUInt64BE(2))
  return length7
}
