// A test's WebSocket client: a real `ws` socket that records every frame and lets a test wait for
// the next one matching a predicate, with a timeout (never a bare sleep).
import WebSocket from 'ws'
import { Waiters } from './waiters.ts'

export interface ClientOptions {
  readonly headers?: Record<string, string>
  readonly protocols?: string | string[]
  readonly timeoutMs?: number
}

export class TestClient {
  readonly frames: string[] = []
  private readonly waiters = new Waiters()
  closeEvent: { code: number; reason: string } | undefined

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      this.frames.push(data.toString())
      this.waiters.wake()
    })
    socket.on('close', (code, reason) => {
      this.closeEvent = { code, reason: reason.toString() }
      this.waiters.wake()
    })
  }

  /** Opens a socket; rejects with the handshake's HTTP status when the server refuses it. */
  static connect(url: string, options: ClientOptions = {}): Promise<TestClient> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, options.protocols ?? [], { headers: options.headers })
      const timer = setTimeout(() => {
        socket.terminate()
        reject(new Error(`connect to ${url} timed out`))
      }, options.timeoutMs ?? 5000)
      socket.once('open', () => {
        clearTimeout(timer)
        resolve(new TestClient(socket))
      })
      socket.once('unexpected-response', (_req, res) => {
        clearTimeout(timer)
        let body = ''
        res.on('data', (c: Buffer) => (body += c))
        res.on('end', () => reject(new HandshakeRejected(res.statusCode ?? 0, body)))
      })
      socket.once('error', (error) => {
        clearTimeout(timer)
        reject(error)
      })
    })
  }

  /**
   * A WebSocket ping and its pong: the server answers after everything it sent before, on the same
   * ordered socket, without invoking any route (no limit to meet).
   */
  roundTrip(timeoutMs = 5000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no pong')), timeoutMs)
      this.socket.once('pong', () => {
        clearTimeout(timer)
        resolve()
      })
      this.socket.ping()
    })
  }

  send(frame: unknown): void {
    this.socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame))
  }

  /** The next frame (from `from` on) that satisfies `match`, parsed as JSON when it is JSON. */
  async next<T = Record<string, unknown>>(match: (frame: T) => boolean = () => true, timeoutMs = 5000): Promise<T> {
    let seen = this.consumed
    return this.until(() => {
      for (; seen < this.frames.length; seen++) {
        const frame = parse(this.frames[seen]) as T
        if (match(frame)) {
          this.consumed = seen + 1
          return { value: frame }
        }
      }
      return undefined
    }, timeoutMs, 'a matching frame')
  }

  /** Resolves when the socket is closed, with the close code and reason. */
  closed(timeoutMs = 5000): Promise<{ code: number; reason: string }> {
    return this.until(() => (this.closeEvent ? { value: this.closeEvent } : undefined), timeoutMs, 'the socket to close')
  }

  close(code?: number, reason?: string): Promise<{ code: number; reason: string }> {
    if (this.socket.readyState === WebSocket.OPEN || this.socket.readyState === WebSocket.CONNECTING) this.socket.close(code, reason)
    return this.closed()
  }

  private consumed = 0

  private until<T>(check: () => { value: T } | undefined, timeoutMs: number, what: string): Promise<T> {
    return this.waiters.until(check, timeoutMs, () => `${what}; frames so far: ${this.frames.join(' | ')}`)
  }

}

export class HandshakeRejected extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`handshake rejected with HTTP ${status}: ${body}`)
  }
}

function parse(frame: string): unknown {
  try {
    return JSON.parse(frame)
  } catch {
    return frame
  }
}
