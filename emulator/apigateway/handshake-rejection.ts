// A refused WebSocket handshake, answered the way API Gateway answers it (spec §5.6).
import { STATUS_CODES } from 'node:http'
import type { Duplex } from 'node:stream'

/** The body and headers of a refused handshake: a JSON message, as API Gateway sends (§5.6). */
export function handshakeResponse(status: number, message?: string): [body: string, headers: Record<string, string>] {
  const body = JSON.stringify({ message: message ?? defaultMessage(status) })
  return [body, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)), Connection: 'close' }]
}

/** Ends a handshake with an HTTP status and a JSON message body, as API Gateway does (§5.6). */
export function rejectHandshake(socket: Duplex, status: number, message?: string): void {
  if (socket.destroyed) return
  const [body, headers] = handshakeResponse(status, message)
  // Once the answer is out, the socket goes: a client that never closes its side holds nothing.
  socket.once('finish', () => socket.destroy())
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n` +
      Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('') +
      '\r\n' +
      body,
  )
}

function defaultMessage(status: number): string {
  if (status === 401) return 'Unauthorized'
  if (status === 403) return 'Forbidden'
  if (status === 429) return 'Too Many Requests'
  if (status === 503) return 'Service Unavailable'
  if (status === 500 || status === 502) return 'Internal server error'
  if (status === 504) return 'Endpoint request timed out'
  return STATUS_CODES[status] ?? 'Error'
}
