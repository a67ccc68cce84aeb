// What a server process costs, read from /proc (Linux):
// - CPU: utime + stime from /proc/<pid>/stat. For a process (thread-group leader) the kernel reports
//   the sum over all its threads, live and exited, so the emulator's worker threads (the function
//   sandboxes, dynalite) count; child processes do not (they are not threads of it).
// - Memory: RSS and PSS from /proc/<pid>/smaps_rollup. RSS counts every resident page the process
//   maps; PSS divides each shared page by the number of processes sharing it, so pages shared with
//   other processes (e.g. the node binary's) are not counted in full.
// `ProcessMeter` samples both every ~200 ms and keeps the peaks.
import { execFileSync } from 'node:child_process'
import { readdir, readFile } from 'node:fs/promises'
import { performance } from 'node:perf_hooks'

export interface MemoryReading {
  readonly rssMb: number
  readonly pssMb: number
}

/** Clock ticks per second of /proc/<pid>/stat's times (USER_HZ; 100 on nearly every Linux). */
const ticksPerSecond = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100
  } catch {
    return 100
  }
})()

/** The /proc/<pid>/stat fields after the command name (which may itself hold spaces and parentheses). */
async function statFields(pid: number): Promise<string[]> {
  const text = await readFile(`/proc/${pid}/stat`, 'utf8')
  return text.slice(text.lastIndexOf(')') + 2).split(' ')
}

/** CPU time the process has used so far, user + system, all its threads, in µs (10 ms resolution). */
export async function readCpuMicros(pid: number): Promise<number> {
  const fields = await statFields(pid)
  // After the name: state(3) ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime(14) stime(15).
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / ticksPerSecond
}

/**
 * CPU time all cores of the machine have spent so far, in µs, from /proc/stat: `busy` running any
 * process (or interrupts), `steal` taken by the hypervisor for other guests (a VM).
 */
export async function readMachineCpuMicros(): Promise<{ busy: number; steal: number }> {
  const first = (await readFile('/proc/stat', 'utf8')).split('\n')[0]
  // cpu  user nice system idle iowait irq softirq steal guest guest_nice (guest time is inside user).
  const [user, nice, system, , , irq, softirq, steal] = first.trim().split(/\s+/).slice(1).map(Number)
  return { busy: ((user + nice + system + irq + softirq) * 1e6) / ticksPerSecond, steal: (steal * 1e6) / ticksPerSecond }
}

export async function readMemory(pid: number): Promise<MemoryReading> {
  const text = await readFile(`/proc/${pid}/smaps_rollup`, 'utf8')
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? Number.NaN)
  return { rssMb: kb('Rss') / 1024, pssMb: kb('Pss') / 1024 }
}

/** Every descendant process of `pid` (children, their children, ...). */
export async function descendantsOf(pid: number): Promise<number[]> {
  const parents = new Map<number, number[]>()
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      const ppid = Number((await statFields(Number(name)))[1])
      parents.set(ppid, [...(parents.get(ppid) ?? []), Number(name)])
    } catch {
      // Gone meanwhile.
    }
  }
  const found: number[] = []
  for (let queue = [pid]; queue.length > 0; ) {
    const children = parents.get(queue.shift()!) ?? []
    found.push(...children)
    queue.push(...children)
  }
  return found
}

/** The summed memory of `pid`'s descendants (for the emulator: the esbuild services tsx and the bundler keep running). */
export async function readDescendantsMemory(pid: number): Promise<MemoryReading & { readonly processes: number }> {
  let rssMb = 0
  let pssMb = 0
  let processes = 0
  for (const child of await descendantsOf(pid)) {
    try {
      const m = await readMemory(child)
      rssMb += m.rssMb
      pssMb += m.pssMb
      processes++
    } catch {
      // Gone meanwhile.
    }
  }
  return { rssMb, pssMb, processes }
}

export interface MeterSample extends MemoryReading {
  /** performance.now() when read. */
  readonly at: number
  readonly cpuMicros: number
}

/** Samples a process's CPU time and memory every `intervalMs` until stopped. */
export class ProcessMeter {
  readonly samples: MeterSample[] = []
  private stopped = false
  private timer: NodeJS.Timeout | undefined
  private inFlight: Promise<MeterSample | undefined> = Promise.resolve(undefined)
  private peakFrom = 0

  constructor(
    readonly pid: number,
    private readonly intervalMs = 200,
  ) {
    this.tick()
  }

  /** Reads now, outside the schedule (the sample counts towards the peaks too). */
  read(): Promise<MeterSample | undefined> {
    this.inFlight = this.inFlight.then(async () => {
      try {
        const [cpuMicros, memory] = await Promise.all([readCpuMicros(this.pid), readMemory(this.pid)])
        const sample = { at: performance.now(), cpuMicros, ...memory }
        this.samples.push(sample)
        return sample
      } catch {
        return undefined // the process is gone
      }
    })
    return this.inFlight
  }

  /** The process's CPU time now, in µs. */
  async cpuNow(): Promise<number> {
    const sample = await this.read()
    if (!sample) throw new Error(`process ${this.pid} is gone`)
    return sample.cpuMicros
  }

  /** CPU time at the first sample taken at or after `at` (performance.now() time), or now. */
  async cpuAtOrAfter(at: number): Promise<number> {
    return this.samples.find((s) => s.at >= at)?.cpuMicros ?? (await this.cpuNow())
  }

  /**
   * Resolves once the process used less than `coreShare` of one core over `windowMs` (the work a
   * warm-up set off, e.g. its `$disconnect` cold starts, is over), or after `maxMs` whatever it does.
   */
  async quiet(options: { windowMs?: number; coreShare?: number; maxMs?: number } = {}): Promise<void> {
    const { windowMs = 500, coreShare = 0.05, maxMs = 15_000 } = options
    const until = performance.now() + maxMs
    let last = await this.cpuNow()
    while (performance.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, windowMs))
      const now = await this.cpuNow()
      if (now - last < windowMs * 1000 * coreShare) return
      last = now
    }
  }

  /** Peaks count from now on (e.g. once the clients have signed in). */
  resetPeaks(): void {
    this.peakFrom = performance.now()
  }

  peaks(): MemoryReading {
    const counted = this.samples.filter((s) => s.at >= this.peakFrom)
    return { rssMb: Math.max(...counted.map((s) => s.rssMb)), pssMb: Math.max(...counted.map((s) => s.pssMb)) }
  }

  /** Takes a last sample and stops sampling. */
  async stop(): Promise<void> {
    this.stopped = true
    clearTimeout(this.timer)
    await this.read()
  }

  private tick(): void {
    if (this.stopped) return
    void this.read().then(() => {
      if (!this.stopped) this.timer = setTimeout(() => this.tick(), this.intervalMs)
    })
  }
}
