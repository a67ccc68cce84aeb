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
  acks = 0
  errors: string[] = []

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const received = performance.now()
      const frame = JSON.parse(data.toString()) as { type: string; text?: string; message?: string }
      if (frame.type === 'message' && frame.text?.startsWith('bench ')) {
        const [, seq, sentAt] = frame.text.split(' ')
        const delivery = { seq: Number(seq), latencyMs: received - Number(sentAt) }
        this.deliveries.push(delivery)
        this.onDelivery?.(delivery)
      } else if (frame.type === 'ack') this.acks++
      else this.errors.push(data.toString())
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
    this.socket.send(JSON.stringify({ action: 'sendmessage', text: `bench ${seq} ${performance.now()}` }))
  }

  close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return Promise.resolve()
    return new Promise((resolve) => {
      this.socket.once('close', () => resolve())
      this.socket.close()
    })
  }
}
