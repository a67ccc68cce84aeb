// The chat's WebSocket: connects with a fresh token, reconnects with backoff when the connection
// drops, sends a heartbeat every ~5 minutes (API Gateway closes sockets idle for 10), and pairs each
// request with its reply through the protocol's `ref`.

const heartbeatMs = 5 * 60 * 1000
const callTimeoutMs = 15_000
const maxBackoffMs = 30_000

export class ChatSocket {
  /**
   * @param {{ url: () => Promise<string>, onOpen: () => void, onFrame: (frame: any) => void,
   *   onStatus: (status: 'connecting' | 'online' | 'offline', detail?: string) => void,
   *   onAuthFailure: () => Promise<void> }} options
   */
  constructor(options) {
    this.options = options
    this.socket = undefined
    this.pending = new Map()
    this.nextRef = 0
    this.attempt = 0
    this.failedOpens = 0
    this.stopped = true
    this.retryTimer = undefined
    this.heartbeat = undefined
    /** Waiting for the socket to be online again. */
    this.openWaiters = new Set()
  }

  /** Resolves once the socket is online (at once if it is), or after `timeoutMs` in any case. */
  opened(timeoutMs) {
    if (this.online) return Promise.resolve()
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer)
        this.openWaiters.delete(done)
        resolve()
      }
      const timer = setTimeout(done, timeoutMs)
      this.openWaiters.add(done)
    })
  }

  start() {
    this.stopped = false
    void this.connect()
  }

  stop() {
    this.stopped = true
    clearTimeout(this.retryTimer)
    clearInterval(this.heartbeat)
    this.socket?.close(1000, 'signed out')
    this.socket = undefined
    this.failAll('Disconnected')
  }

  get online() {
    return this.socket?.readyState === WebSocket.OPEN
  }

  /** Sends an action and resolves with its reply; an error frame rejects with { code, message }. */
  call(frame) {
    if (!this.online) return Promise.reject(Object.assign(new Error('You are offline; reconnecting…'), { code: 'OFFLINE' }))
    const ref = `c${++this.nextRef}`
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(ref)
        reject(Object.assign(new Error('The server did not answer in time'), { code: 'TIMEOUT' }))
      }, callTimeoutMs)
      this.pending.set(ref, { resolve, reject, timer })
      this.socket.send(JSON.stringify({ ...frame, ref }))
    })
  }

  /** Fire and forget (typing). */
  send(frame) {
    if (this.online) this.socket.send(JSON.stringify(frame))
  }

  async connect() {
    if (this.stopped) return
    this.options.onStatus('connecting')
    let url
    try {
      url = await this.options.url()
    } catch (error) {
      return this.retry(error.message)
    }
    if (this.stopped) return
    const socket = new WebSocket(url)
    this.socket = socket
    let opened = false
    socket.addEventListener('open', () => {
      opened = true
      this.attempt = 0
      this.failedOpens = 0
      this.options.onStatus('online')
      clearInterval(this.heartbeat)
      this.heartbeat = setInterval(() => this.send({ action: 'heartbeat' }), heartbeatMs)
      this.options.onOpen()
      for (const done of [...this.openWaiters]) done()
    })
    socket.addEventListener('message', (event) => this.receive(event.data))
    socket.addEventListener('close', () => {
      if (this.socket !== socket) return
      clearInterval(this.heartbeat)
      this.failAll('Connection lost')
      if (!opened) this.failedOpens++
      void this.retry(opened ? 'Connection lost' : 'Cannot connect')
    })
  }

  async retry(reason) {
    if (this.stopped) return
    // A handshake refused twice in a row may be an expired token: refresh before the next try.
    if (this.failedOpens >= 2) {
      this.failedOpens = 0
      await this.options.onAuthFailure().catch(() => {})
      if (this.stopped) return
    }
    const delay = Math.min(maxBackoffMs, 500 * 2 ** this.attempt++) * (0.5 + Math.random() / 2)
    this.options.onStatus('offline', `${reason}. Reconnecting in ${Math.ceil(delay / 1000)} s…`)
    clearTimeout(this.retryTimer)
    this.retryTimer = setTimeout(() => void this.connect(), delay)
  }

  receive(data) {
    let frame
    try {
      frame = JSON.parse(data)
    } catch {
      return
    }
    const waiting = frame && typeof frame.ref === 'string' ? this.pending.get(frame.ref) : undefined
    if (waiting) {
      this.pending.delete(frame.ref)
      clearTimeout(waiting.timer)
      if (frame.type === 'error') waiting.reject(Object.assign(new Error(frame.message), { code: frame.code, details: frame.details }))
      else waiting.resolve(frame)
      return
    }
    this.options.onFrame(frame)
  }

  failAll(message) {
    for (const { reject, timer } of this.pending.values()) {
      clearTimeout(timer)
      reject(Object.assign(new Error(message), { code: 'OFFLINE' }))
    }
    this.pending.clear()
  }
}
