// What API Gateway sends down a connection: text messages, in frames of at most 32 KB (spec §1.9,
// §7.8: "messages over 32 KB are fragmented into ≤32 KB frames").
import type { WebSocket } from 'ws'

/** §1.9 / §9: the WebSocket frame size quota. */
export const maxFrameBytes = 32 * 1024

/**
 * permessage-deflate compresses each fragment on its own (a sync flush per frame), and deflate can
 * grow incompressible data by a few bytes per block; this headroom keeps compressed frames ≤ 32 KB.
 */
const deflateHeadroom = 1024

/** Sends `data` as one text message, fragmented when it is larger than a frame may be. */
export function sendTextMessage(socket: WebSocket, data: string | Buffer): void {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data
  const deflating = socket.extensions.includes('permessage-deflate')
  const fragment = deflating ? maxFrameBytes - deflateHeadroom : maxFrameBytes
  if (bytes.length <= fragment) return socket.send(bytes, { binary: false })
  // A fragment may end inside a UTF-8 sequence: RFC 6455 validates text per message, not per frame.
  for (let offset = 0; offset < bytes.length; offset += fragment) {
    const end = Math.min(offset + fragment, bytes.length)
    socket.send(bytes.subarray(offset, end), { binary: false, fin: end === bytes.length })
  }
}
