// One deployed function: a warm worker thread running its handler module, as a Lambda sandbox would.
// Workers give each function its own environment (process.env is per worker), its own module state,
// and a crash boundary; a hung handler is ended by terminating its worker, never the emulator.
import { Worker } from 'node:worker_threads'
import type { InvokeRequest, LambdaErrorPayload, WorkerInit, WorkerMessage } from './function-protocol.ts'
import type { NoticeLogger } from '../notices.ts'

export type InvokeOutcome =
  | { readonly kind: 'ok'; readonly payload: unknown }
  /** The function failed: it threw, crashed, or ran past its own timeout (`Sandbox.Timedout`). */
  | { readonly kind: 'error'; readonly error: LambdaErrorPayload }
  /** The caller stopped waiting (API Gateway's integration timeout); the function may still be running. */
  | { readonly kind: 'timeout' }
  /** Lambda refused to start it: reserved concurrency is used up (TooManyRequestsException). */
  | { readonly kind: 'throttled' }

export interface FunctionHostOptions {
  readonly name: string
  /** The bundled sandbox runtime (function-worker.ts) the worker thread starts with. */
  readonly runtime: string
  /** The bundled handler module. */
  readonly entry: string
  /** Whether the bundles carry source maps to apply to stack traces. */
  readonly sourceMaps?: boolean
  readonly exportName?: string
  readonly functionArn: string
  readonly memoryMb: number
  /** The function's own timeout (Lambda's), from its declaration. */
  readonly timeoutMs: number
  readonly environment: Readonly<Record<string, string>>
  /** Concurrent invocations allowed; more are throttled (Lambda's TooManyRequestsException). */
  readonly reservedConcurrency?: number
  /** Where the handler's console output goes. */
  readonly output: 'inherit' | 'ignore'
  /** How long a suspect worker may take to answer a ping before it counts as wedged. */
  readonly wedgeCheckMs?: number
  /** Where the sandbox's `https://{domainName}` calls go (see sandbox-network.ts). */
  readonly gateway?: WorkerInit['gateway']
  /** The account's concurrency, shared by every function (Lambda: 1,000 by default); beyond it, throttled. */
  readonly account?: AccountConcurrency
  /** Told when a sandbox dies on its own (not when the emulator ends it). */
  readonly notice?: NoticeLogger
}

/**
 * Lambda's account-level concurrency: invocations in flight across all functions, and the quota
 * (1,000 by default in every region). Past it, invocations are throttled (TooManyRequestsException),
 * which also bounds what a flood of messages can make the emulator hold.
 */
export interface AccountConcurrency {
  inFlight: number
  readonly limit: number
}

interface Pending {
  readonly resolve: (outcome: InvokeOutcome) => void
  /** Lambda's timer: the init allowance until the handler starts, then the function's timeout. */
  timer: NodeJS.Timeout
  /** This run's timeout (the function's, or a fault's shorter one). */
  readonly timeoutMs: number
  readonly timedOut: () => void
}

/** A failure on purpose (the emulator's fault switches): this run times out, or its sandbox dies, `afterMs` into it. */
export type InvocationFault = { readonly kind: 'timeout' | 'crash'; readonly afterMs: number }

/** Lambda gives the init phase (loading the module) its own 10 s, outside the function's timeout. */
const initTimeoutMs = 10_000

interface Sandbox {
  readonly worker: Worker
  readonly pending: Map<number, Pending>
  pongs: number
  /** No new invocations go here; it ends once what it runs has finished. */
  retired: boolean
  checking: boolean
  /** The emulator is ending it (retired, wedged, closing): its exit is no crash. */
  ending: boolean
}

export class FunctionHost {
  /** Where new invocations go. */
  private sandbox: Sandbox | undefined
  /** Every live sandbox, retired ones still finishing included. */
  private readonly sandboxes = new Set<Sandbox>()
  private nextId = 1
  private inFlight = 0
  private closed = false

  constructor(private readonly options: FunctionHostOptions) {}

  /**
   * Runs one invocation. `waitMs` is how long the caller waits for it (API Gateway's integration
   * timeout); without it the caller waits for the function's own outcome.
   */
  invoke(event: unknown, awsRequestId: string, waitMs = Number.POSITIVE_INFINITY, fault?: InvocationFault): Promise<InvokeOutcome> {
    if (this.closed) return Promise.resolve({ kind: 'error', error: { errorType: 'Runtime.Closed', errorMessage: 'emulator is closing' } })
    const { reservedConcurrency } = this.options
    // A timeout fault is this run's own, shorter, function timeout: the handler sees it in its context.
    const timeoutMs = fault?.kind === 'timeout' ? Math.min(fault.afterMs, this.options.timeoutMs) : this.options.timeoutMs
    if (reservedConcurrency !== undefined && this.inFlight >= reservedConcurrency) return Promise.resolve({ kind: 'throttled' })
    const account = this.options.account
    if (account && account.inFlight >= account.limit) return Promise.resolve({ kind: 'throttled' })
    const sandbox = (this.sandbox ??= this.spawn())
    const id = this.nextId++
    this.inFlight++
    if (account) account.inFlight++
    return new Promise<InvokeOutcome>((resolve) => {
      let answered = false
      const answer = (outcome: InvokeOutcome) => {
        if (answered) return
        answered = true
        clearTimeout(waitTimer)
        resolve(outcome)
      }
      // API Gateway gives up at its integration timeout when that comes first (or at the same
      // time); the function runs on, still holding its concurrency, until it ends or times out.
      const waitTimer =
        waitMs <= timeoutMs
          ? setTimeout(() => {
              answer({ kind: 'timeout' })
              this.suspect(sandbox)
            }, waitMs)
          : undefined
      // Lambda ends a run at the function's timeout with an error and resets its sandbox.
      const timedOut = () => {
        settle(sandbox, id, {
          kind: 'error',
          error: { errorType: 'Sandbox.Timedout', errorMessage: `RequestId: ${awsRequestId} Error: Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds` },
        })
        this.suspect(sandbox)
      }
      sandbox.pending.set(id, {
        timer: setTimeout(timedOut, initTimeoutMs + timeoutMs),
        timeoutMs,
        timedOut,
        resolve: (outcome) => {
          this.inFlight--
          if (account) account.inFlight--
          answer(outcome)
        },
      })
      const request: InvokeRequest = { kind: 'invoke', id, event, awsRequestId, timeoutMs, ...(fault?.kind === 'crash' ? { crashAfterMs: fault.afterMs } : {}) }
      sandbox.worker.postMessage(request)
    })
  }

  /** New code: the next invocation cold-starts a new sandbox; the old one finishes what it runs. */
  reload(): void {
    if (this.sandbox) this.retire(this.sandbox)
  }

  /** Ends every sandbox now; whatever still runs fails (the gateway has already drained `$disconnect`s). */
  async close(): Promise<void> {
    this.closed = true
    this.sandbox = undefined
    await Promise.all([...this.sandboxes].map((sandbox) => end(sandbox)))
  }

  private spawn(): Sandbox {
    const init: WorkerInit = {
      entry: this.options.entry,
      exportName: this.options.exportName ?? 'handler',
      functionName: this.options.name,
      functionArn: this.options.functionArn,
      memoryMb: this.options.memoryMb,
      logStreamName: `${new Date().toISOString().slice(0, 10).replaceAll('-', '/')}/[$LATEST]${crypto.randomUUID().replaceAll('-', '')}`,
      gateway: this.options.gateway,
    }
    const quiet = this.options.output === 'ignore'
    const worker = new Worker(this.options.runtime, {
      workerData: init,
      // With source maps in the bundles, stack traces point at the TypeScript sources (costs memory).
      // `node --cpu-prof` on the emulator profiles its sandboxes too; no other flag is passed down.
      execArgv: [...(this.options.sourceMaps ? ['--enable-source-maps'] : []), ...process.execArgv.filter((arg) => arg.startsWith('--cpu-prof'))],
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
    const sandbox: Sandbox = { worker, pending: new Map(), pongs: 0, retired: false, checking: false, ending: false }
    this.sandboxes.add(sandbox)
    worker.on('message', (message: WorkerMessage) => {
      if (message.kind === 'pong') sandbox.pongs++
      else if (message.kind === 'started') {
        const pending = sandbox.pending.get(message.id)
        if (!pending) return
        clearTimeout(pending.timer)
        pending.timer = setTimeout(pending.timedOut, pending.timeoutMs)
      } else if (message.kind === 'result') {
        settle(sandbox, message.id, { kind: 'ok', payload: message.payload === undefined ? undefined : JSON.parse(message.payload) })
      } else settle(sandbox, message.id, { kind: 'error', error: message.error })
    })
    // An uncaught exception, an unhandled rejection, process.exit() or running out of memory ends
    // the sandbox: what it was running fails (Lambda: Runtime.ExitError), the next call cold-starts.
    const crashed = (reason: string) => {
      if (!this.sandboxes.delete(sandbox)) return
      if (this.sandbox === sandbox) this.sandbox = undefined
      sandbox.retired = true
      if (!sandbox.ending) this.options.notice?.({ kind: 'sandbox-died', function: this.options.name, reason, failedInvocations: sandbox.pending.size })
      for (const id of [...sandbox.pending.keys()]) {
        settle(sandbox, id, { kind: 'error', error: { errorType: 'Runtime.ExitError', errorMessage: reason } })
      }
    }
    worker.on('error', (error) => crashed(`RequestId: sandbox crashed: ${error.message}`))
    worker.on('exit', (code) => crashed(`Runtime exited with error: exit status ${code}`))
    worker.unref()
    return sandbox
  }

  /** Retires the sandbox and frees its thread if a handler is wedged in it (a loop that never yields). */
  private suspect(sandbox: Sandbox): void {
    this.retire(sandbox)
    if (sandbox.checking || sandbox.pending.size === 0) return
    sandbox.checking = true
    const before = sandbox.pongs
    sandbox.worker.postMessage({ kind: 'ping' })
    setTimeout(() => {
      sandbox.checking = false
      if (sandbox.pongs === before) void end(sandbox)
    }, this.options.wedgeCheckMs ?? 1000).unref()
  }

  private retire(sandbox: Sandbox): void {
    if (this.sandbox === sandbox) this.sandbox = undefined
    sandbox.retired = true
    if (sandbox.pending.size === 0) void end(sandbox)
  }
}

/** The emulator ends a sandbox (its exit is not a crash). */
function end(sandbox: Sandbox): Promise<number> {
  sandbox.ending = true
  return sandbox.worker.terminate()
}

function settle(sandbox: Sandbox, id: number, outcome: InvokeOutcome): void {
  const pending = sandbox.pending.get(id)
  if (!pending) return
  sandbox.pending.delete(id)
  clearTimeout(pending.timer)
  pending.resolve(outcome)
  if (sandbox.retired && sandbox.pending.size === 0) void end(sandbox)
}
