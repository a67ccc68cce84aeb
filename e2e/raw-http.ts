// An HTTP client on a bare TCP socket, so a test can send what no HTTP library would: broken request
// lines, bad escapes, bad header bytes, bodies cut short. It reads one response (or the connection's
// end) and never waits past its timeout.
import net from 'node:net'

export interface RawResponse {
  /** Undefined when the connection ended without a status line. */
  readonly status: number | undefined
  /** Lower-cased header names. */
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

export interface RawRequestOptions {
  /** Close our side right after writing (a request cut short). */
  readonly hangUp?: boolean
  readonly timeoutMs?: number
}

export function rawRequest(port: number, request: string | Buffer, options: RawRequestOptions = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1')
    let received = Buffer.alloc(0)
    const timer = setTimeout(() => {
      socket.destroy()
      reject(new Error(`no answer within ${options.timeoutMs ?? 5000} ms to ${JSON.stringify(request.toString().slice(0, 120))}`))
    }, options.timeoutMs ?? 5000)
    const finish = () => {
      clearTimeout(timer)
      socket.destroy()
      resolve(parse(received))
    }
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk])
      if (complete(received)) finish()
    })
    socket.on('close', finish)
    socket.on('error', () => {})
    socket.write(request)
    if (options.hangUp) socket.end()
  })
}

/** A request in the usual form: `Connection: close`, a Host, and a Content-Length when there is a body. */
export function httpRequest(method: string, target: string, headers: Record<string, string> = {}, body = ''): string {
  const lines = [`${method} ${target} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)]
  if (body !== '' && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-length')) lines.push(`Content-Length: ${Buffer.byteLength(body)}`)
  return `${lines.join('\r\n')}\r\n\r\n${body}`
}

function complete(received: Buffer): boolean {
  const end = received.indexOf('\r\n\r\n')
  if (end < 0) return false
  const length = /\r\ncontent-length:\s*(\d+)/i.exec(received.subarray(0, end).toString('latin1'))
  return length !== null && received.length >= end + 4 + Number(length[1])
}

function parse(received: Buffer): RawResponse {
  const end = received.indexOf('\r\n\r\n')
  const head = (end < 0 ? received : received.subarray(0, end)).toString('latin1')
  const [statusLine, ...lines] = head.split('\r\n')
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine ?? '')
  const headers: Record<string, string> = {}
  for (const line of lines) {
    const colon = line.indexOf(':')
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
  }
  return { status: status ? Number(status[1]) : undefined, headers, body: end < 0 ? '' : received.subarray(end + 4).toString('utf8') }
}
