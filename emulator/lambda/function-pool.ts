// One deployed function: its pool of sandboxes (sandbox.ts), as Lambda scales a function. Each
// sandbox runs one invocation at a time; an invocation goes to an idle warm sandbox, else a new one
// cold-starts, up to the function's reserved concurrency and the account's (beyond them: throttled,
// TooManyRequestsException) and the local machine's sandbox limit (beyond it: a bounded wait,
// sandbox-capacity.ts). Idle sandboxes are reclaimed after `idleMs`; provisioned ones are kept
// initialised and replaced when they end, so invocations up to that number never cold-start.
import type { FastRequest, FastResponse, LambdaErrorPayload, WorkerInit } from './function-protocol.ts'
import type { NoticeLogger } from '../notices.ts'
import { Sandbox, type InvocationReport, type SandboxSpec } from './sandbox.ts'
import type { IdleSource, SandboxCapacity } from './sandbox-capacity.ts'

export type { InvocationReport } from './sandbox.ts'

export type InvokeOutcome =
  | { readonly kind: 'ok'; readonly payload: unknown; readonly report?: InvocationReport }
  /** The function failed: it threw, crashed, or ran past its own timeout (`Sandbox.Timedout`). */
  | { readonly kind: 'error'; readonly error: LambdaErrorPayload; readonly report?: InvocationReport }
  /** The caller stopped waiting (API Gateway's integration timeout); the function may still be running. */
  | { readonly kind: 'timeout' }
  /** Lambda refused to start it: reserved concurrency is used up (TooManyRequestsException). */
  | { readonly kind: 'throttled' }

/** A failure on purpose (the emulator's fault switches): this run times out, or its sandbox dies, `afterMs` into it (a crash at 0: as the handler is called, before any of its I/O). */
export type InvocationFault = { readonly kind: 'timeout' | 'crash'; readonly afterMs: number }

/**
 * Lambda's account-level concurrency: invocations in flight across all functions, and the quota
 * (1,000 by default in every region). Past it, invocations are throttled (TooManyRequestsException),
 * which also bounds what a flood of messages can make the emulator hold.
 */
export interface AccountConcurrency {
  inFlight: number
  readonly limit: number
}

export interface FunctionPoolOptions {
  readonly name: string
  /** The current bundles (they change on reload): read when a sandbox is spawned. */
  readonly code: () => { readonly runtime: string; readonly entry: string; readonly sourceMaps: boolean }
  readonly exportName?: string
  readonly functionArn: string
  readonly memoryMb: number
  /** The function's own timeout (Lambda's), from its declaration. */
  readonly timeoutMs: number
  readonly environment: Readonly<Record<string, string>>
  /** Concurrent invocations allowed; more are throttled (Lambda's TooManyRequestsException). */
  readonly reservedConcurrency?: number
  /** Sandboxes initialised at start and kept so (Lambda's provisioned concurrency). */
  readonly provisionedConcurrency?: number
  /** How long an idle on-demand sandbox is kept warm before it is ended. */
  readonly idleMs: number
  /** Where the handler's console output goes. */
  readonly output: 'inherit' | 'ignore'
  /** Told how many bytes the handler writes (CloudWatch Logs ingestion). */
  readonly outputBytes?: (bytes: number, lines: number) => void
  /** Where the sandbox's `https://{domainName}` calls go (see sandbox-network.ts). */
  readonly gateway?: WorkerInit['gateway']
  /** The SDK's requests to the emulator without HTTP (fast-path.ts): a fresh setting per sandbox (it carries a port). */
  readonly fastPath?: () => WorkerInit['fastPath']
  /** Answers `@connections` calls that arrive on the fast path. */
  readonly gatewayCall?: (request: FastRequest) => Promise<Omit<FastResponse, 'id'>>
  /** The account's concurrency, shared by every function; beyond it, throttled. */
  readonly account: AccountConcurrency
  /** The local machine's limit on live sandboxes, shared by every function. */
  readonly capacity: SandboxCapacity
  /** How long an invocation may wait for a sandbox slot when the caller sets no limit of its own. */
  readonly slotWaitMs?: number
  /** Told when a sandbox dies on its own (not when the emulator ends it). */
  readonly notice?: NoticeLogger
}

interface Queued {
  readonly run: (sandbox: Sandbox) => void
  withdraw: () => void
}

export class FunctionPool implements IdleSource {
  private readonly idle: Sandbox[] = []
  private readonly live = new Set<Sandbox>()
  /** Invocations waiting for a slot, oldest first: a sandbox of this function that frees up serves them first. */
  private readonly queued: Queued[] = []
  private inFlight = 0
  private closed = false
  /** Bumped on reload: sandboxes of an older generation run their last invocation and end. */
  private generation = 0
  private readonly generationOf = new WeakMap<Sandbox, number>()
  private readonly idleTimers = new WeakMap<Sandbox, NodeJS.Timeout>()

  constructor(private readonly options: FunctionPoolOptions) {
    options.capacity.add(this)
  }

  /** Live sandboxes (busy and idle). */
  get sandboxCount(): number {
    return this.live.size
  }

  /** Spawns the provisioned sandboxes and resolves once their init phase is over. */
  async start(): Promise<void> {
    await this.provision()
  }

  /**
   * Runs one invocation. `waitMs` is how long the caller waits for it (API Gateway's integration
   * timeout); without it the caller waits for the function's own outcome.
   */
  invoke(event: unknown, awsRequestId: string, waitMs = Number.POSITIVE_INFINITY, fault?: InvocationFault): Promise<InvokeOutcome> {
    if (this.closed) return Promise.resolve({ kind: 'error', error: { errorType: 'Runtime.Closed', errorMessage: 'emulator is closing' } })
    const { reservedConcurrency, account } = this.options
    if (reservedConcurrency !== undefined && this.inFlight >= reservedConcurrency) return Promise.resolve({ kind: 'throttled' })
    if (account.inFlight >= account.limit) return Promise.resolve({ kind: 'throttled' })
    // A timeout fault is this run's own, shorter, function timeout: the handler sees it in its context.
    const timeoutMs = fault?.kind === 'timeout' ? Math.min(fault.afterMs, this.options.timeoutMs) : this.options.timeoutMs
    this.inFlight++
    account.inFlight++
    return new Promise<InvokeOutcome>((resolve) => {
      let answered = false
      const answer = (outcome: InvokeOutcome) => {
        if (answered) return
        answered = true
        clearTimeout(waitTimer)
        resolve(outcome)
      }
      const done = () => {
        this.inFlight--
        account.inFlight--
      }
      // API Gateway gives up at its integration timeout when that comes first (or at the same time);
      // the function runs on, still holding its concurrency, until it ends or times out.
      const waitTimer = Number.isFinite(waitMs) && waitMs <= timeoutMs ? setTimeout(() => answer({ kind: 'timeout' }), waitMs) : undefined
      const run = (sandbox: Sandbox) => {
        sandbox.run(event, awsRequestId, timeoutMs, fault?.kind === 'crash' ? fault.afterMs : undefined).then((outcome) => {
          done()
          answer(outcome)
          this.release(sandbox)
        })
      }
      const sandbox = this.takeIdle() ?? this.spawnIfRoom()
      if (sandbox) return run(sandbox)
      // The machine's sandbox limit: wait for a slot (or one of this function's sandboxes) at most as
      // long as the caller waits, or `slotWaitMs`; past it the invocation fails, never silently.
      const slotWaitMs = Number.isFinite(waitMs) ? waitMs : (this.options.slotWaitMs ?? 30_000)
      const gaveUp = setTimeout(() => {
        entry.withdraw()
        this.queued.splice(this.queued.indexOf(entry), 1)
        done()
        answer({
          kind: 'error',
          error: { errorType: 'Emulator.SandboxLimit', errorMessage: `No sandbox free within ${slotWaitMs} ms: all ${this.options.capacity.limit} are busy (the local machine's limit, --max-sandboxes)` },
        })
      }, slotWaitMs)
      const entry: Queued = {
        run: (sandbox) => {
          clearTimeout(gaveUp)
          run(sandbox)
        },
        withdraw: () => {},
      }
      this.queued.push(entry)
      // Registered last: a slot may be granted at once (an idle sandbox of another function ended).
      entry.withdraw = this.options.capacity.wait(this, this.options.name, () => {
        this.queued.splice(this.queued.indexOf(entry), 1)
        clearTimeout(gaveUp)
        run(this.spawn(false))
      })
    })
  }

  /** New code: idle sandboxes end now, busy ones after their invocation; the next invocation cold-starts. */
  reload(): void {
    this.generation++
    for (const sandbox of this.idle.splice(0)) void this.end(sandbox)
    void this.provision()
  }

  /** Ends every sandbox now; whatever still runs fails (the gateway has already drained `$disconnect`s). */
  async close(): Promise<void> {
    this.closed = true
    for (const entry of this.queued.splice(0)) entry.withdraw()
    this.idle.length = 0
    await Promise.all([...this.live].map((sandbox) => this.end(sandbox)))
  }

  oldestIdle(): number | undefined {
    const candidate = this.idle.find((sandbox) => !sandbox.provisioned)
    return candidate?.lastUsed
  }

  evictOldestIdle(): void {
    const at = this.idle.findIndex((sandbox) => !sandbox.provisioned)
    if (at >= 0) void this.end(this.idle.splice(at, 1)[0])
  }

  /** The most recently used idle sandbox (warmest), provisioned ones first, as Lambda prefers them. */
  private takeIdle(): Sandbox | undefined {
    let at = -1
    for (let i = this.idle.length - 1; i >= 0; i--) {
      if (this.idle[i].provisioned) {
        at = i
        break
      }
      if (at < 0) at = i
    }
    if (at < 0) return undefined
    const [sandbox] = this.idle.splice(at, 1)
    clearTimeout(this.idleTimers.get(sandbox))
    return sandbox
  }

  private spawnIfRoom(): Sandbox | undefined {
    return this.options.capacity.tryTake() ? this.spawn(false) : undefined
  }

  /** A new sandbox in a slot already taken. */
  private spawn(provisioned: boolean): Sandbox {
    const code = this.options.code()
    const init: WorkerInit = {
      entry: code.entry,
      exportName: this.options.exportName ?? 'handler',
      functionName: this.options.name,
      functionArn: this.options.functionArn,
      memoryMb: this.options.memoryMb,
      logStreamName: `${new Date().toISOString().slice(0, 10).replaceAll('-', '/')}/[$LATEST]${crypto.randomUUID().replaceAll('-', '')}`,
      gateway: this.options.gateway,
      fastPath: this.options.fastPath?.(),
    }
    const spec: SandboxSpec = {
      runtime: code.runtime,
      init,
      environment: this.options.environment,
      sourceMaps: code.sourceMaps,
      output: this.options.output,
      outputBytes: this.options.outputBytes,
      gatewayCall: this.options.gatewayCall,
    }
    const sandbox = new Sandbox(spec, {
      provisioned,
      onEnded: (ended, crash) => {
        this.forget(ended)
        if (crash) this.options.notice?.({ kind: 'sandbox-died', function: this.options.name, reason: crash.reason, failedInvocations: crash.running ? 1 : 0 })
      },
    })
    this.live.add(sandbox)
    this.generationOf.set(sandbox, this.generation)
    // A module that fails to load fails its invocation, and the next one initialises afresh (Lambda).
    void sandbox.initialized.then((error) => {
      if (error && sandbox.alive) void this.end(sandbox)
    })
    return sandbox
  }

  /** After an invocation: serve a waiting one, make room for another function, or stay warm. */
  private release(sandbox: Sandbox): void {
    if (!sandbox.alive) return
    if (this.closed || this.generationOf.get(sandbox) !== this.generation) return void this.end(sandbox)
    const next = this.queued.shift()
    if (next) {
      next.withdraw()
      return next.run(sandbox)
    }
    if (!sandbox.provisioned && this.options.capacity.othersStarve(this)) return void this.end(sandbox)
    this.idle.push(sandbox)
    if (!sandbox.provisioned) {
      this.idleTimers.set(
        sandbox,
        setTimeout(() => {
          const at = this.idle.indexOf(sandbox)
          if (at >= 0) void this.end(this.idle.splice(at, 1)[0])
        }, this.options.idleMs).unref(),
      )
    }
  }

  /** Ends a sandbox on the emulator's behalf (its exit is no crash). */
  private end(sandbox: Sandbox): Promise<void> {
    return sandbox.end()
  }

  /** Drops a sandbox that ended; its slot goes back; a provisioned one is replaced. */
  private forget(sandbox: Sandbox): void {
    if (!this.live.delete(sandbox)) return
    clearTimeout(this.idleTimers.get(sandbox))
    const at = this.idle.indexOf(sandbox)
    if (at >= 0) this.idle.splice(at, 1)
    this.options.capacity.give()
    if (sandbox.provisioned && !this.closed) void this.provision()
  }

  /** Tops the provisioned sandboxes of the current generation up to the setting; resolves when they are initialised. */
  private async provision(): Promise<void> {
    const wanted = this.options.provisionedConcurrency ?? 0
    const current = [...this.live].filter((s) => s.provisioned && this.generationOf.get(s) === this.generation).length
    const spawned: Sandbox[] = []
    for (let i = current; i < wanted && !this.closed; i++) {
      this.options.capacity.tryTake(true)
      const sandbox = this.spawn(true)
      spawned.push(sandbox)
      this.release(sandbox)
    }
    await Promise.all(spawned.map((sandbox) => sandbox.initialized))
  }
}
