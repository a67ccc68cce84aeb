// Writes an HTTP request byte for byte on a fresh TCP socket (node:net), so it can be as malformed
// as we like, and reads back just enough to say what happened: a status, a reset, a close.
import net from 'node:net'

export interface RawRequest {
  /** Written in order; `gapMs` apart when set (a slow client). */
  readonly chunks: readonly Buffer[]
  readonly gapMs?: number
  /** Close our side this long after the last chunk, answered or not (an aborted or half request). */
  readonly abortAfterMs?: number
}

export interface RawResponse {
  /** `HTTP 404`, `reset`, `closed without a response`, `timeout`, `aborted by us`. */
  readonly outcome: string
  readonly status?: number
  /** The head and the first bytes of the body. */
  readonly head?: string
}

export function sendRaw(port: number, request: RawRequest, timeoutMs = 5000): Promise<RawResponse> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1')
    let received = Buffer.alloc(0)
    let settled = false
    const timers: NodeJS.Timeout[] = []
    const done = (response: RawResponse) => {
      if (settled) return
      settled = true
      for (const t of timers) clearTimeout(t)
      socket.destroy()
      resolve(response)
    }
    const answered = (): RawResponse | undefined => {
      const end = received.indexOf('\r\n\r\n')
      const firstLine = received.subarray(0, Math.max(0, received.indexOf('\r\n'))).toString('latin1')
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(firstLine)?.[1]
      if (!status) return undefined
      return { outcome: `HTTP ${status}`, status: Number(status), head: received.subarray(0, end < 0 ? 400 : Math.min(received.length, end + 200)).toString('latin1') }
    }
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]).subarray(0, 64 * 1024)
      const response = answered()
      if (!response) return
      // The head is all we count; a body may follow, or the connection may stay open (keep-alive).
      const length = /\r\ncontent-length: *(\d+)/i.exec(response.head ?? '')?.[1]
      const end = received.indexOf('\r\n\r\n')
      if (end >= 0 && (length === undefined || received.length >= end + 4 + Number(length) || Number(length) > 60_000)) done(response)
    })
    socket.on('error', (error: NodeJS.ErrnoException) => done(answered() ?? { outcome: error.code === 'ECONNRESET' ? 'reset' : `socket error ${error.code}` }))
    socket.on('close', () => done(answered() ?? { outcome: received.length > 0 ? 'closed after a non-HTTP answer' : 'closed without a response' }))
    socket.on('connect', async () => {
      for (const [i, chunk] of request.chunks.entries()) {
        if (settled || socket.destroyed) return
        if (i > 0 && request.gapMs) await new Promise((r) => timers.push(setTimeout(r, request.gapMs)))
        socket.write(chunk)
      }
      if (request.abortAfterMs !== undefined) timers.push(setTimeout(() => done(answered() ?? { outcome: 'aborted by us, unanswered' }), request.abortAfterMs))
    })
    timers.push(setTimeout(() => done(answered() ?? { outcome: 'timeout' }), timeoutMs))
  })
}
