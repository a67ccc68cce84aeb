// One Lambda execution environment: a worker thread running the function's bundled handler, one
// invocation at a time. Workers give each sandbox its own environment (process.env is per worker),
// its own module state and a crash boundary. Lambda resets an environment whose run timed out or
// crashed; here that sandbox is ended and the pool cold-starts another when it needs one.
import { performance } from 'node:perf_hooks'
import { Worker } from 'node:worker_threads'
import type { FastRequest, FastResponse, InvokeRequest, LambdaErrorPayload, SandboxMessage, WorkerInit, WorkerMessage } from './function-protocol.ts'

/**
 * V8 grows a busy isolate's young generation to 32 MB (two 16 MB semi-spaces) and never gives it back,
 * so every sandbox that once served a burst kept 20–40 MB. Capped at 16 MB (semi-spaces of about
 * 5 MB): the fan-out benchmark ran as fast (2,405 vs 2,128 deliveries/s to 100, 2,317 vs 2,303 to
 * 500) with 24–36 MB less at its peak; at 8 MB it was 10 % slower.
 */
export const maxYoungGenerationSizeMb = 16

export interface SandboxSpec {
  /** The bundled sandbox runtime (function-worker.ts). */
  readonly runtime: string
  readonly init: WorkerInit
  readonly environment: Readonly<Record<string, string>>
  /** Whether the bundles carry source maps to apply to stack traces. */
  readonly sourceMaps: boolean
  /** Where the handler's console output goes. */
  readonly output: 'inherit' | 'ignore'
  /** Told how many bytes (and lines) the handler writes to stdout/stderr: what CloudWatch Logs would ingest. */
  readonly outputBytes?: (bytes: number, lines: number) => void
  /** Answers the sandbox's `@connections` calls on the fast path (fast-path.ts); without it, they go over HTTP. */
  readonly gatewayCall?: (request: FastRequest) => Promise<Omit<FastResponse, 'id'>>
}

/** What Lambda's REPORT line says about one invocation. */
export interface InvocationReport {
  /** From the handler's call to its answer. */
  readonly durationMs: number
  /** What is billed: the duration rounded up to the millisecond, plus the init phase of an on-demand cold start. */
  readonly billedDurationMs: number
  readonly memorySizeMb: number
  readonly maxMemoryUsedMb: number
  /** Only on the invocation that cold-started its sandbox (not on provisioned sandboxes, as on Lambda). */
  readonly initDurationMs?: number
}

export type RunOutcome =
  | { readonly kind: 'ok'; readonly payload: unknown; readonly report: InvocationReport }
  /** The function failed: it threw, crashed, or ran past its own timeout (`Sandbox.Timedout`). */
  | { readonly kind: 'error'; readonly error: LambdaErrorPayload; readonly report?: InvocationReport }

/** Lambda gives the init phase (loading the module) its own 10 s, outside the function's timeout. */
const initTimeoutMs = 10_000

let nextRunId = 1

export class Sandbox {
  /** Resolves when the init phase is over (with its error, if the module failed to load). */
  readonly initialized: Promise<LambdaErrorPayload | undefined>
  /** Spawned ahead for provisioned concurrency: its init is not reported on its first invocation. */
  readonly provisioned: boolean
  /** Set while an invocation runs. */
  busy = false
  /** performance.now() when it last finished an invocation (or started). */
  lastUsed = performance.now()
  private readonly worker: Worker
  private readonly spawnedAt = performance.now()
  private initDurationMs: number | undefined
  private initReported = false
  private running: { readonly id: number; readonly settle: (message: WorkerMessage | { kind: 'died'; reason: string }) => void } | undefined
  private ended = false
  private readonly exited: Promise<void>
  private readonly memorySizeMb: number

  constructor(
    spec: SandboxSpec,
    private readonly options: {
      readonly provisioned?: boolean
      /** Called once when the sandbox ends, however it ends; `crash` when it died on its own. */
      readonly onEnded?: (sandbox: Sandbox, crash?: { readonly reason: string; readonly running: boolean }) => void
    } = {},
  ) {
    this.provisioned = options.provisioned ?? false
    this.memorySizeMb = spec.init.memoryMb
    const quiet = spec.output === 'ignore'
    const dynamoPort = spec.init.fastPath?.dynamo?.port
    this.worker = new Worker(spec.runtime, {
      workerData: spec.init,
      transferList: dynamoPort ? [dynamoPort] : [],
      // With source maps in the bundles, stack traces point at the TypeScript sources (costs memory).
      // `node --cpu-prof` on the emulator profiles its sandboxes too; no other flag is passed down.
      execArgv: [...(spec.sourceMaps ? ['--enable-source-maps'] : []), ...process.execArgv.filter((arg) => arg.startsWith('--cpu-prof'))],
      env: { ...spec.environment },
      stdout: quiet,
      stderr: quiet,
      // Lambda's memory setting caps the sandbox; an overrun kills it like an out-of-memory runtime.
      resourceLimits: { maxOldGenerationSizeMb: Math.max(64, spec.init.memoryMb), maxYoungGenerationSizeMb },
    })
    if (quiet) {
      this.worker.stdout.resume()
      this.worker.stderr.resume()
    }
    this.initialized = new Promise((resolve) => {
      this.worker.on('message', (message: WorkerMessage) => {
        if ('output' in message && message.output.bytes > 0) spec.outputBytes?.(message.output.bytes, message.output.lines)
        if (message.kind === 'initialized') {
          this.initDurationMs = performance.now() - this.spawnedAt
          resolve(message.error)
        } else if (message.kind === 'gateway-call') {
          const { id } = message.request
          void spec.gatewayCall?.(message.request).then((response) => this.post({ kind: 'gateway-answer', response: { ...response, id } }))
        } else if (this.running?.id === message.id) this.running.settle(message)
      })
      // An uncaught exception, an unhandled rejection, process.exit() or running out of memory ends
      // the sandbox: what it was running fails (Lambda: Runtime.ExitError).
      const crashed = (reason: string) => {
        resolve({ errorType: 'Runtime.ExitError', errorMessage: reason })
        if (this.ended) return
        this.ended = true
        const running = this.running !== undefined
        this.running?.settle({ kind: 'died', reason })
        options.onEnded?.(this, { reason, running })
      }
      this.worker.on('error', (error) => crashed(`RequestId: sandbox crashed: ${error.message}`))
      this.worker.on('exit', (code) => crashed(`Runtime exited with error: exit status ${code}`))
    })
    this.exited = new Promise((resolve) => this.worker.once('exit', () => resolve()))
    this.worker.unref()
  }

  get alive(): boolean {
    return !this.ended
  }

  /**
   * Runs one invocation, which must be the only one. The function's timeout starts when the handler
   * is called; until then the init phase has its own allowance. A timed-out or crashed run ends the sandbox.
   */
  run(event: unknown, awsRequestId: string, timeoutMs: number, crashAfterMs?: number): Promise<RunOutcome> {
    if (this.busy || this.ended) throw new Error('a sandbox runs one invocation at a time')
    this.busy = true
    const id = nextRunId++
    const coldInit = !this.initReported && !this.provisioned ? this.initDurationMs : undefined
    return new Promise<RunOutcome>((resolve) => {
      let startedAt = performance.now()
      let initDurationMs: number | undefined
      const report = (memoryUsedMb: number): InvocationReport => {
        const durationMs = performance.now() - startedAt
        const init = coldInit ?? initDurationMs
        return {
          durationMs,
          // On-demand functions are billed for their init phase too (Lambda, since August 2025).
          billedDurationMs: Math.ceil(durationMs + (init ?? 0)),
          memorySizeMb: this.memorySizeMb,
          maxMemoryUsedMb: memoryUsedMb,
          ...(init !== undefined && { initDurationMs: init }),
        }
      }
      const finish = (outcome: RunOutcome) => {
        clearTimeout(timer)
        this.running = undefined
        this.busy = false
        this.lastUsed = performance.now()
        resolve(outcome)
      }
      const timedOut = () => {
        finish({
          kind: 'error',
          error: { errorType: 'Sandbox.Timedout', errorMessage: `RequestId: ${awsRequestId} Error: Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds` },
          report: report(0),
        })
        // Lambda resets the environment after a timeout: module state and what still runs are gone.
        void this.end()
      }
      let timer = setTimeout(timedOut, initTimeoutMs + timeoutMs)
      this.running = {
        id,
        settle: (message) => {
          if (message.kind === 'started') {
            clearTimeout(timer)
            timer = setTimeout(timedOut, timeoutMs)
            // A sandbox spawned for this invocation finished its init just now.
            if (coldInit === undefined && !this.initReported && !this.provisioned) initDurationMs = this.initDurationMs
            this.initReported = true
            startedAt = performance.now()
          } else if (message.kind === 'result') {
            finish({ kind: 'ok', payload: message.payload === undefined ? undefined : JSON.parse(message.payload), report: report(message.memoryUsedMb) })
          } else if (message.kind === 'error') {
            finish({ kind: 'error', error: message.error, report: report(message.memoryUsedMb) })
          } else if (message.kind === 'died') {
            finish({ kind: 'error', error: { errorType: 'Runtime.ExitError', errorMessage: message.reason } })
          }
        },
      }
      const request: InvokeRequest = { kind: 'invoke', id, event, awsRequestId, timeoutMs, ...(crashAfterMs !== undefined && { crashAfterMs }) }
      this.post(request)
    })
  }

  private post(message: SandboxMessage): void {
    if (!this.ended) this.worker.postMessage(message)
  }

  /** Ends the worker (what still runs fails); resolves once its thread is gone. */
  async end(): Promise<void> {
    if (!this.ended) {
      this.ended = true
      this.running?.settle({ kind: 'died', reason: 'Runtime exited: the sandbox was reset' })
      void this.worker.terminate()
      this.options.onEnded?.(this)
    }
    await this.exited
  }
}
