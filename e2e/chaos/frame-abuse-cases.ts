// Fuzz inputs at the WebSocket frame level: random bytes, binary frames (spec §1.8: close 1003),
// invalid UTF-8 (RFC 6455 §8.1: close 1007), oversized frames and messages (§1.9: close 1009), and
// breaches of RFC 6455 framing (close 1002), which only a raw client can send.
import { opcodes } from '../fixtures/fidelity/raw-websocket.ts'
import { fragmented, text, type FrameCase, type FrameSpec } from './frame-case.ts'
import type { Prng } from './prng.ts'

const KB = 1024
const heartbeat = text('{"action":"heartbeat"}')

export function randomTextCase(rng: Prng): FrameCase {
  return { class: 'random text', name: 'printable and multi-byte', frames: [text(rng.text(rng.int(1, 2000)))] }
}

export function randomBytesCase(rng: Prng): FrameCase {
  return { class: 'random bytes as text', name: 'random bytes', frames: [text(rng.bytes(rng.int(1, 2000)))] }
}

export function binaryCase(rng: Prng): FrameCase {
  const payload = rng.next() < 0.5 ? rng.bytes(rng.int(0, 4000)) : Buffer.from('{"action":"heartbeat"}')
  const frames: FrameSpec[] =
    rng.next() < 0.8 ? [{ opcode: opcodes.binary, payload }] : [{ opcode: opcodes.binary, payload, fin: false }, { opcode: opcodes.continuation, payload }]
  return { class: 'binary frame', name: frames.length > 1 ? 'fragmented binary' : payload.length === 22 ? 'JSON as binary' : 'random binary', frames, expect: 'close 1003' }
}

const invalidSequences: readonly (readonly [string, number[]])[] = [
  ['0xff', [0xff]],
  ['overlong "/" (c0 af)', [0xc0, 0xaf]],
  ['UTF-16 surrogate (ed a0 80)', [0xed, 0xa0, 0x80]],
  ['above U+10FFFF (f4 90 80 80)', [0xf4, 0x90, 0x80, 0x80]],
  ['lone continuation byte', [0x80]],
  ['truncated 3-byte sequence', [0xe2, 0x82]],
  ['overlong NUL (e0 80 80)', [0xe0, 0x80, 0x80]],
]

export function invalidUtf8Cases(): FrameCase[] {
  return invalidSequences.flatMap(([name, bytes]): FrameCase[] => {
    const body = Buffer.concat([Buffer.from('{"action":"sendmessage","text":"'), Buffer.from(bytes), Buffer.from('"}')])
    const split = 33
    return [
      { class: 'invalid UTF-8', name: `${name} in text`, frames: [text(body)], expect: 'close 1007' },
      { class: 'invalid UTF-8', name: `${name} across two fragments`, frames: fragmented(body, split), expect: 'close 1007' },
    ]
  })
}

export function oversizedFrameCase(rng: Prng): FrameCase {
  const size = rng.pick([32 * KB + 1, 33 * KB, 64 * KB, 100 * KB, 1024 * KB])
  return { class: 'oversized frame', name: `one ${size} B frame`, frames: [text(Buffer.alloc(size, 0x61))], expect: 'close 1009' }
}

export function oversizedMessageCase(rng: Prng): FrameCase {
  const size = rng.pick([128 * KB + 1, 150 * KB, 300 * KB])
  const frameBytes = rng.pick([32 * KB, 16 * KB, 4 * KB])
  return { class: 'oversized fragmented message', name: `${size} B in ${frameBytes} B frames`, frames: fragmented(Buffer.alloc(size, 0x62), frameBytes), expect: 'close 1009' }
}

/** Breaches of RFC 6455 framing; `ws` closes with 1002 (1007 for an invalid close reason). */
export function violationCases(): FrameCase[] {
  const v = (name: string, frames: FrameSpec[], expect = 'close 1002'): FrameCase => ({ class: 'protocol violation', name, frames, expect })
  const body = Buffer.from('{"action":"heartbeat"}')
  const close = (code: number, reason = '') => {
    const payload = Buffer.alloc(2 + Buffer.byteLength(reason))
    payload.writeUInt16BE(code, 0)
    payload.write(reason, 2)
    return { opcode: opcodes.close, payload }
  }
  return [
    v('reserved opcode 0x3', [{ opcode: 0x3, payload: body }]),
    v('reserved control opcode 0xb', [{ opcode: 0xb, payload: body }]),
    v('RSV1 without permessage-deflate', [{ opcode: opcodes.text, payload: body, rsv1: true }]),
    v('RSV2 set', [{ opcode: 0x20 | opcodes.text, payload: body }]),
    v('unmasked client frame', [{ opcode: opcodes.text, payload: body, masked: false }]),
    v('continuation with no message open', [{ opcode: opcodes.continuation, payload: body }]),
    v('new text frame inside a fragmented message', [{ opcode: opcodes.text, payload: body, fin: false }, { opcode: opcodes.text, payload: body }]),
    v('ping with 126 B payload', [{ opcode: opcodes.ping, payload: Buffer.alloc(126) }]),
    v('fragmented ping', [{ opcode: opcodes.ping, payload: Buffer.from('x'), fin: false }]),
    v('close code 999', [close(999)]),
    v('close code 1004', [close(1004)]),
    v('close code 1005 on the wire', [close(1005)]),
    v('close code 1006 on the wire', [close(1006)]),
    v('close code 5000', [close(5000)]),
    v('close with a 1-byte payload', [{ opcode: opcodes.close, payload: Buffer.from([3]) }]),
    v('close reason of invalid UTF-8', [{ opcode: opcodes.close, payload: Buffer.from([0x03, 0xe8, 0xff, 0xfe]) }], 'close 1007'),
    { class: 'valid control frames', name: 'client close 1000', frames: [close(1000, 'bye')], expect: 'close 1000' },
    { class: 'valid control frames', name: 'client close 4000 with a reason', frames: [close(4000, 'fuzz')], expect: 'close 4000' },
    { class: 'valid control frames', name: 'unsolicited pong, then heartbeat', frames: [{ opcode: opcodes.pong, payload: body }, heartbeat], expect: 'reply pong' },
    { class: 'valid control frames', name: 'ping inside a fragmented message', frames: [{ opcode: opcodes.text, payload: body.subarray(0, 5), fin: false }, { opcode: opcodes.ping, payload: Buffer.from('p') }, { opcode: opcodes.continuation, payload: body.subarray(5) }], expect: 'reply pong' },
    { class: 'valid control frames', name: 'empty text frame', frames: [text('')] },
  ]
}

/** A frame header that announces 2^63-1 bytes and sends none of them: the limit must act on the header. */
export function hugeHeaderCase(): FrameCase {
  const raw = Buffer.alloc(14)
  raw[0] = 0x80 | opcodes.text
  raw[1] = 0x80 | 127
  raw.writeBigUInt64BE(2n ** 63n - 1n, 2)
  return { class: 'oversized frame', name: 'header announcing 2^63-1 bytes', frames: [{ opcode: opcodes.text, payload: Buffer.alloc(0) }], raw, expect: 'close 1009' }
}
