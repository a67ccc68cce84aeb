// A lightweight load client: a real `ws` socket that timestamps each chat message it receives.
import { performance } from 'node:perf_hooks'
import WebSocket from 'ws'

export interface Delivery {
  readonly seq: number
  readonly latencyMs: number
}

export class LoadClient {
  readonly deliveries: Delivery[] = []
  onDelivery: ((d: Delivery) => void) | undefined
  errors: string[] = []
  private readonly replies = new Map<number, (reply: string) => void>()

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const received = performance.now()
      const frame = JSON.parse(data.toString()) as { type: string; text?: string; message?: string }
      if (frame.type === 'message' && frame.text?.startsWith('bench ')) {
        const [, seq, sentAt] = frame.text.split(' ')
        const delivery = { seq: Number(seq), latencyMs: received - Number(sentAt) }
        this.deliveries.push(delivery)
        this.onDelivery?.(delivery)
      } else {
        const ref = Number((frame as { ref?: string }).ref?.slice(1))
        if (frame.type !== 'ack') this.errors.push(data.toString())
        this.replies.get(ref)?.(frame.type)
        this.replies.delete(ref)
      }
    })
  }

  static open(url: string): Promise<LoadClient> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, { perMessageDeflate: false })
      socket.once('open', () => resolve(new LoadClient(socket)))
      socket.once('error', reject)
      socket.once('unexpected-response', (_req, res) => reject(new Error(`handshake rejected: HTTP ${res.statusCode}`)))
    })
  }

  /** Sends a chat message whose text carries its sequence number and send time. */
  sendBench(seq: number): void {
    this.socket.send(JSON.stringify({ action: 'sendmessage', text: `bench ${seq} ${performance.now()}`, ref: `s${seq}` }))
  }

  /** Sends one and resolves with the reply's type (`ack` or `error`), or `timeout` after 10 s. */
  request(seq: number): Promise<string> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.replies.delete(seq)
        resolve('timeout')
      }, 10_000)
      this.replies.set(seq, (type) => {
        clearTimeout(timer)
        resolve(type)
      })
      this.sendBench(seq)
    })
  }

  close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return Promise.resolve()
    return new Promise((resolve) => {
      this.socket.once('close', () => resolve())
      this.socket.close()
    })
  }
}
