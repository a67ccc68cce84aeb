// A lightweight load client: a real `ws` socket that sends benchmark messages, `bench <seq> <sentAtMs>`,
// and timestamps each one it receives. It speaks either protocol the benchmark meets:
// - `chat`: the chat's `{action:'sendmessage', text, ref}`; deliveries are `message` frames, each send
//   is answered by an `ack` frame (or an `error`) carrying `ref`;
// - `data`: the AWS tutorial's `{action:'sendmessage', data}` (the sample app and the plain `ws`
//   server); deliveries are the raw `data` strings, and nothing answers a send.
// Every other frame (API Gateway's `Internal server error`, an `error` frame) is kept in `errors`.
import { performance } from 'node:perf_hooks'
import WebSocket from 'ws'

export type Protocol = 'chat' | 'data'

export interface Delivery {
  readonly seq: number
  readonly latencyMs: number
}

export class LoadClient {
  /** Benchmark messages received. */
  delivered = 0
  onDelivery: ((d: Delivery) => void) | undefined
  errors: string[] = []
  private readonly replies = new Map<number, (reply: string) => void>()

  private constructor(
    readonly socket: WebSocket,
    readonly protocol: Protocol,
  ) {
    socket.on('message', (data) => {
      const received = performance.now()
      const raw = data.toString()
      if (protocol === 'data') {
        if (raw.startsWith('bench ')) this.deliver(raw, received)
        else this.errors.push(raw)
        return
      }
      const frame = JSON.parse(raw) as { type: string; text?: string; ref?: string }
      if (frame.type === 'message' && frame.text?.startsWith('bench ')) {
        this.deliver(frame.text, received)
      } else {
        const ref = Number(frame.ref?.slice(1))
        if (frame.type !== 'ack') this.errors.push(raw)
        this.replies.get(ref)?.(frame.type)
        this.replies.delete(ref)
      }
    })
  }

  static open(url: string, protocol: Protocol = 'chat'): Promise<LoadClient> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, { perMessageDeflate: false })
      socket.once('open', () => resolve(new LoadClient(socket, protocol)))
      socket.once('error', reject)
      socket.once('unexpected-response', (_req, res) => reject(new Error(`handshake rejected: HTTP ${res.statusCode}`)))
    })
  }

  /** Sends a message whose text carries its sequence number and send time. */
  sendBench(seq: number): void {
    const text = `bench ${seq} ${performance.now()}`
    this.socket.send(JSON.stringify(this.protocol === 'chat' ? { action: 'sendmessage', text, ref: `s${seq}` } : { action: 'sendmessage', data: text }))
  }

  /** `chat` only: sends one and resolves with the reply's type (`ack` or `error`), or `timeout` after 10 s. */
  request(seq: number): Promise<string> {
    if (this.protocol !== 'chat') throw new Error('request(): only the chat protocol answers a send')
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

  private deliver(text: string, received: number): void {
    const [, seq, sentAt] = text.split(' ')
    const delivery = { seq: Number(seq), latencyMs: received - Number(sentAt) }
    this.delivered++
    this.onDelivery?.(delivery)
  }
}
