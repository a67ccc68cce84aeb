import { test } from 'node:test'
import assert from 'node:assert/strict'
import { InboundFrameLimits, type InboundViolation } from './inbound-frame-limits.ts'

const limits = { maxFrameBytes: 32 * 1024, maxMessageBytes: 128 * 1024 }

/** A masked client frame, as RFC 6455 §5.2 lays it out. */
function frame(opcode: number, length: number, options: { fin?: boolean; rsv1?: boolean } = {}): Buffer {
  const size = length > 0xffff ? 8 : length > 125 ? 2 : 0
  const header = Buffer.alloc(2 + size + 4)
  header[0] = (options.fin === false ? 0 : 0x80) | (options.rsv1 ? 0x40 : 0) | opcode
  header[1] = 0x80 | (size === 8 ? 127 : size === 2 ? 126 : length)
  if (size === 8) header.writeBigUInt64BE(BigInt(length), 2)
  if (size === 2) header.writeUInt16BE(length, 2)
  return Buffer.concat([header, Buffer.alloc(length, 0x61)])
}

function inspect(chunks: Buffer[]): InboundViolation[] {
  const seen: InboundViolation[] = []
  const inspector = new InboundFrameLimits(limits, (v) => seen.push(v))
  for (const chunk of chunks) inspector.push(chunk)
  return seen
}

/** The same bytes, delivered one byte at a time: headers split across chunks must still parse. */
function bytewise(data: Buffer): Buffer[] {
  return Array.from(data, (byte) => Buffer.from([byte]))
}

test('spec §1.9: a text frame of 32 KB passes; one byte more is "frame-too-big"', () => {
  assert.deepEqual(inspect([frame(1, 32 * 1024)]), [])
  assert.deepEqual(inspect([frame(1, 32 * 1024 + 1)]), ['frame-too-big'])
})

test('spec §1.9: fragments add up to the message; past 128 KB is "message-too-big"', () => {
  const fragments = (total: number) => {
    const frames: Buffer[] = []
    for (let sent = 0; sent < total; sent += 32 * 1024) {
      const size = Math.min(32 * 1024, total - sent)
      frames.push(frame(sent === 0 ? 1 : 0, size, { fin: sent + size === total }))
    }
    return frames
  }
  assert.deepEqual(inspect(fragments(128 * 1024)), [])
  assert.deepEqual(inspect(fragments(128 * 1024 + 1)), ['message-too-big'])
  // A new message starts counting from zero.
  assert.deepEqual(inspect([...fragments(100 * 1024), ...fragments(100 * 1024)]), [])
})

test('spec §1.9: a compressed (RSV1) message is not counted on the wire: its inflated size is ws\'s to check', () => {
  const compressed = [frame(1, 32 * 1024, { fin: false, rsv1: true }), ...Array.from({ length: 5 }, (_, i) => frame(0, 32 * 1024, { fin: i === 4 }))]
  assert.deepEqual(inspect(compressed), [])
})

test('spec §1.8: a binary frame is "binary", whatever its size', () => {
  assert.deepEqual(inspect([frame(2, 3)]), ['binary'])
})

test('control frames between fragments count toward nothing, and headers split byte by byte still parse', () => {
  const data = Buffer.concat([frame(1, 20 * 1024, { fin: false }), frame(0x9, 4), frame(0, 20 * 1024, { fin: true }), frame(1, 40 * 1024)])
  assert.deepEqual(inspect(bytewise(data)), ['frame-too-big'])
  assert.deepEqual(inspect(bytewise(data.subarray(0, data.length - frame(1, 40 * 1024).length))), [])
})

test('only the first violation is reported', () => {
  assert.deepEqual(inspect([frame(1, 40 * 1024), frame(2, 1)]), ['frame-too-big'])
})
