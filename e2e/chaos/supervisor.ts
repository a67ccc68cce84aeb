// Keeps the system under test running through a campaign: when the emulator process exits without
// being asked to (a crash) or stops answering (a wedge), it records a restart — the phase, how it
// ended, the last lines of its stderr and the inputs in flight at the time — and starts it again on
// the same --data (and the same port when it is still free), so the campaign goes on.
import { startEmulatorProcess, type EmulatorProcess, type EmulatorProcessOptions, type ExitStatus } from '../bench/emulator-process.ts'

/** An input that was in flight when the emulator went down, exact enough to replay. */
export interface SuspectInput {
  readonly class: string
  readonly name: string
  /** The first bytes, as a JSON string literal (latin1), and how many bytes there were in all. */
  readonly preview: string
  readonly length: number
  /** The whole input, base64, when it is at most 4 KB. */
  readonly base64?: string
}

export interface RestartRecord {
  readonly phase: string
  readonly at: string
  readonly cause: 'crash' | 'wedge'
  readonly exit: ExitStatus | undefined
  readonly stderr: readonly string[]
  readonly suspects: readonly SuspectInput[]
}

export function suspectOf(cls: string, name: string, bytes: Buffer): SuspectInput {
  return {
    class: cls,
    name,
    preview: JSON.stringify(bytes.subarray(0, 300).toString('latin1')),
    length: bytes.length,
    ...(bytes.length <= 4096 ? { base64: bytes.toString('base64') } : {}),
  }
}

const probeEveryMs = 2000
/** This many failed liveness probes in a row (about 30 s) count as a wedge. */
const probesToWedge = 10

export class Supervisor {
  readonly restarts: RestartRecord[] = []
  /** Failed liveness probes per phase. */
  readonly probeFailures = new Map<string, number>()
  phase = 'start'
  private proc: EmulatorProcess
  private deliberate = false
  private restarting: Promise<EmulatorProcess> | undefined
  private suspects: () => SuspectInput[] = () => []
  private readonly probe: NodeJS.Timeout
  private failedProbes = 0
  private probing = false

  private constructor(
    private readonly options: EmulatorProcessOptions,
    first: EmulatorProcess,
  ) {
    this.proc = first
    this.watch(first)
    this.probe = setInterval(() => void this.checkAlive(), probeEveryMs)
  }

  static async start(options: EmulatorProcessOptions): Promise<Supervisor> {
    return new Supervisor(options, await startEmulatorProcess({ ...options, ownProcessGroup: true }))
  }

  get current(): EmulatorProcess {
    return this.proc
  }

  /** The running emulator; after a crash, the restarted one. */
  ready(): Promise<EmulatorProcess> {
    return this.restarting ?? Promise.resolve(this.proc)
  }

  /** Starts a phase; `suspects` says what the phase has in flight, for a crash record. */
  enter(phase: string, suspects: () => SuspectInput[] = () => []): void {
    this.phase = phase
    this.suspects = suspects
  }

  restartsIn(phase: string): RestartRecord[] {
    return this.restarts.filter((r) => r.phase === phase)
  }

  /** True when the current emulator exits (or already has) within `ms`: did the last input kill it? */
  async exitsWithin(ms: number): Promise<boolean> {
    if (this.restarting) return true
    const proc = this.proc
    const exited = await Promise.race([proc.exited.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), ms).unref())])
    return exited
  }

  /** A fresh process on the same data (a clean memory baseline, or after `kill -9`); not a restart. */
  async replace(signal: NodeJS.Signals = 'SIGINT'): Promise<EmulatorProcess> {
    await this.stopCurrent(signal)
    this.proc = await this.spawn(this.proc.port)
    this.watch(this.proc)
    return this.proc
  }

  /** Runs `act` (which ends the process on purpose, e.g. SIGINT) without counting the exit as a crash. */
  async deliberately<T>(act: (proc: EmulatorProcess) => Promise<T>): Promise<T> {
    this.deliberate = true
    try {
      return await act(await this.ready())
    } finally {
      this.deliberate = false
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.probe)
    await this.stopCurrent('SIGINT')
  }

  private async stopCurrent(signal: NodeJS.Signals): Promise<void> {
    const proc = await this.ready()
    this.deliberate = true
    try {
      proc.kill(signal)
      const timer = setTimeout(() => proc.kill('SIGKILL'), 15_000)
      await proc.exited
      clearTimeout(timer)
    } finally {
      this.deliberate = false
    }
  }

  private watch(proc: EmulatorProcess): void {
    void proc.exited.then((exit) => {
      if (proc !== this.proc || this.deliberate) return
      this.recordAndRestart('crash', exit)
    })
  }

  private recordAndRestart(cause: 'crash' | 'wedge', exit: ExitStatus | undefined): void {
    const proc = this.proc
    const record: RestartRecord = { phase: this.phase, at: new Date().toISOString(), cause, exit, stderr: proc.stderrTail(60), suspects: this.suspects() }
    this.restarts.push(record)
    console.log(`  !! emulator ${cause === 'crash' ? `exited (${exit?.signal ?? exit?.code})` : 'stopped answering'} during ${this.phase}; restarting on the same --data`)
    this.restarting = (async () => {
      if (cause === 'wedge') {
        proc.kill('SIGKILL')
        await proc.exited
      }
      const next = await this.spawn(proc.port)
      this.proc = next
      this.watch(next)
      this.restarting = undefined
      this.failedProbes = 0
      return next
    })()
  }

  /** The same port, so clients find it again; another one if that is taken now. */
  private async spawn(port: number): Promise<EmulatorProcess> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await startEmulatorProcess({ ...this.options, ownProcessGroup: true, port: attempt === 0 ? port : 0 })
      } catch (error) {
        if (attempt >= 2) throw error
      }
    }
  }

  /** A plain GET of the stage path must answer 426 (spec §1.2) within 3 s. */
  private async checkAlive(): Promise<void> {
    if (this.probing || this.restarting || this.deliberate) return
    this.probing = true
    const proc = this.proc
    try {
      const res = await fetch(`${proc.httpUrl}/prod`, { signal: AbortSignal.timeout(3000) })
      await res.arrayBuffer()
      this.failedProbes = 0
    } catch {
      if (proc !== this.proc || this.restarting || this.deliberate || proc.exitStatus()) return
      this.probeFailures.set(this.phase, (this.probeFailures.get(this.phase) ?? 0) + 1)
      if (++this.failedProbes >= probesToWedge) this.recordAndRestart('wedge', undefined)
    } finally {
      this.probing = false
    }
  }
}
