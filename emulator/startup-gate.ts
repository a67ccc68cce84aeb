// Requests that arrive while the emulator is still starting (the port is bound before Cognito and the
// gateway exist, since their URLs need the port) wait until it is ready, so a client that connects in
// the first millisecond gets the answer one connecting a minute later gets. If starting fails, or the
// emulator is closing, or too many are waiting, the answer is 503 Service Unavailable.

export class StartupGate {
  private state: 'starting' | 'open' | 'shut' = 'starting'
  private readonly waiting = new Set<(open: boolean) => void>()

  constructor(private readonly maxWaiting = 1000) {}

  /** True once ready; false: answer 503. */
  pass(): boolean | Promise<boolean> {
    if (this.state !== 'starting') return this.state === 'open'
    if (this.waiting.size >= this.maxWaiting) return false
    return new Promise((resolve) => this.waiting.add(resolve))
  }

  open(): void {
    this.settle('open')
  }

  /** Starting failed, or the emulator is closing. */
  shut(): void {
    this.settle('shut')
  }

  private settle(state: 'open' | 'shut'): void {
    this.state = state
    for (const resolve of this.waiting) resolve(state === 'open')
    this.waiting.clear()
  }
}
