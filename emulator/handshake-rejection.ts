// A refused WebSocket handshake, answered the way API Gateway answers it (spec §5.6).
import { STATUS_CODES } from 'node:http'
import type { Duplex } from 'node:stream'

/** Ends a handshake with an HTTP status and a JSON message body, as API Gateway does (§5.6). */
export function rejectHandshake(socket: Duplex, status: number, message?: string): void {
  if (socket.destroyed) return
  const text = message ?? defaultMessage(status)
  const body = JSON.stringify({ message: text })
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n` +
      'Content-Type: application/json\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
  )
}

function defaultMessage(status: number): string {
  if (status === 401) return 'Unauthorized'
  if (status === 403) return 'Forbidden'
  if (status === 429) return 'Too Many Requests'
  if (status === 500 || status === 502) return 'Internal server error'
  if (status === 504) return 'Endpoint request timed out'
  return STATUS_CODES[status] ?? 'Error'
}
