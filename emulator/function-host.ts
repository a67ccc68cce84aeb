// One deployed function: a warm worker thread running its handler module, as a Lambda sandbox would.
// Workers give each function its own environment (process.env is per worker), its own module state,
// and a crash boundary; a hung handler is ended by terminating its worker, never the emulator.
import { Worker } from 'node:worker_threads'
import type { InvokeRequest, LambdaErrorPayload, WorkerInit, WorkerMessage } from './function-protocol.ts'

export type InvokeOutcome =
  | { readonly kind: 'ok'; readonly payload: unknown }
  | { readonly kind: 'error'; readonly error: LambdaErrorPayload }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'throttled' }

export interface FunctionHostOptions {
  readonly name: string
  /** Absolute path of the handler module. */
  readonly entry: string
  readonly exportName?: string
  readonly functionArn: string
  readonly memoryMb: number
  readonly timeoutMs: number
  readonly environment: Readonly<Record<string, string>>
  /** Concurrent invocations allowed; more are throttled (Lambda's TooManyRequestsException). */
  readonly reservedConcurrency?: number
  /** Where the handler's console output goes. */
  readonly output: 'inherit' | 'ignore'
  /** How long a timed-out worker may take to answer a ping before it counts as wedged. */
  readonly wedgeCheckMs?: number
}

interface Pending {
  readonly resolve: (outcome: InvokeOutcome) => void
  readonly timer: NodeJS.Timeout
}

interface Sandbox {
  readonly worker: Worker
  readonly pending: Map<number, Pending>
  pongs: number
}

const bootUrl = new URL('./function-worker-boot.mjs', import.meta.url)

export class FunctionHost {
  private sandbox: Sandbox | undefined
  private nextId = 1
  private inFlight = 0
  private closed = false

  constructor(private readonly options: FunctionHostOptions) {}

  invoke(event: unknown, awsRequestId: string): Promise<InvokeOutcome> {
    if (this.closed) return Promise.resolve({ kind: 'error', error: { errorType: 'Runtime.Closed', errorMessage: 'emulator is closing' } })
    const { reservedConcurrency } = this.options
    if (reservedConcurrency !== undefined && this.inFlight >= reservedConcurrency) return Promise.resolve({ kind: 'throttled' })
    const sandbox = (this.sandbox ??= this.spawn())
    const id = this.nextId++
    const deadline = Date.now() + this.options.timeoutMs
    this.inFlight++
    return new Promise<InvokeOutcome>((resolve) => {
      const timer = setTimeout(() => {
        settle(sandbox, id, { kind: 'timeout' })
        this.checkWedged(sandbox)
      }, this.options.timeoutMs)
      sandbox.pending.set(id, {
        timer,
        resolve: (outcome) => {
          this.inFlight--
          resolve(outcome)
        },
      })
      const request: InvokeRequest = { kind: 'invoke', id, event, awsRequestId, deadline }
      sandbox.worker.postMessage(request)
    })
  }

  /** New code: the next invocation cold-starts a new sandbox; the old one finishes what it runs. */
  reload(): void {
    const old = this.sandbox
    this.sandbox = undefined
    if (old) void drainThenEnd(old)
  }

  async close(): Promise<void> {
    this.closed = true
    const old = this.sandbox
    this.sandbox = undefined
    if (old) await drainThenEnd(old)
  }

  private spawn(): Sandbox {
    const init: WorkerInit = {
      entry: this.options.entry,
      exportName: this.options.exportName ?? 'handler',
      functionName: this.options.name,
      functionArn: this.options.functionArn,
      memoryMb: this.options.memoryMb,
      logStreamName: `${new Date().toISOString().slice(0, 10).replaceAll('-', '/')}/[$LATEST]${crypto.randomUUID().replaceAll('-', '')}`,
    }
    const quiet = this.options.output === 'ignore'
    const worker = new Worker(bootUrl, {
      workerData: init,
      env: { ...this.options.environment },
      stdout: quiet,
      stderr: quiet,
      // Lambda's memory setting caps the sandbox; an overrun kills it like an out-of-memory runtime.
      resourceLimits: { maxOldGenerationSizeMb: Math.max(64, this.options.memoryMb) },
    })
    if (quiet) {
      worker.stdout.resume()
      worker.stderr.resume()
    }
    const sandbox: Sandbox = { worker, pending: new Map(), pongs: 0 }
    worker.on('message', (message: WorkerMessage) => {
      if (message.kind === 'pong') sandbox.pongs++
      else if (message.kind === 'result') {
        settle(sandbox, message.id, { kind: 'ok', payload: message.payload === undefined ? undefined : JSON.parse(message.payload) })
      } else settle(sandbox, message.id, { kind: 'error', error: message.error })
    })
    // An uncaught exception or a crash ends the sandbox: what it was running fails, the next call
    // cold-starts a new one (Lambda: Runtime.ExitError).
    const crashed = (reason: string) => {
      if (this.sandbox === sandbox) this.sandbox = undefined
      for (const id of [...sandbox.pending.keys()]) {
        settle(sandbox, id, { kind: 'error', error: { errorType: 'Runtime.ExitError', errorMessage: reason } })
      }
    }
    worker.on('error', (error) => crashed(`RequestId: sandbox crashed: ${error.message}`))
    worker.on('exit', (code) => crashed(`Runtime exited with error: exit status ${code}`))
    worker.unref()
    return sandbox
  }

  /** A handler that never yields blocks its thread; if the sandbox cannot even answer a ping, end it. */
  private checkWedged(sandbox: Sandbox): void {
    const before = sandbox.pongs
    sandbox.worker.postMessage({ kind: 'ping' })
    setTimeout(() => {
      if (sandbox.pongs === before) void sandbox.worker.terminate()
    }, this.options.wedgeCheckMs ?? 1000).unref()
  }
}

function settle(sandbox: Sandbox, id: number, outcome: InvokeOutcome): void {
  const pending = sandbox.pending.get(id)
  if (!pending) return
  sandbox.pending.delete(id)
  clearTimeout(pending.timer)
  pending.resolve(outcome)
}

async function drainThenEnd(sandbox: Sandbox): Promise<void> {
  if (sandbox.pending.size > 0) {
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (sandbox.pending.size === 0) {
          clearInterval(check)
          resolve()
        }
      }, 10)
    })
  }
  await sandbox.worker.terminate()
}
