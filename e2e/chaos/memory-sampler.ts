// Samples the emulator's memory (RSS and PSS, from /proc) at a fixed interval while a phase runs.
import { performance } from 'node:perf_hooks'
import type { Supervisor } from './supervisor.ts'

export interface MemorySample {
  readonly atSeconds: number
  readonly rssMb: number
  readonly pssMb: number
  /** What the phase was doing, e.g. how many connections were open. */
  readonly note?: string
}

export class MemorySampler {
  readonly samples: MemorySample[] = []
  private readonly timer: NodeJS.Timeout
  private readonly started = performance.now()

  constructor(
    private readonly sup: Supervisor,
    intervalMs: number,
    private readonly note: () => string | undefined = () => undefined,
  ) {
    this.timer = setInterval(() => void this.take(), intervalMs)
  }

  async take(): Promise<MemorySample | undefined> {
    try {
      const proc = this.sup.current
      const [rssMb, pssMb] = await Promise.all([proc.rssMb(), proc.pssMb()])
      const sample = { atSeconds: (performance.now() - this.started) / 1000, rssMb, pssMb, note: this.note() }
      this.samples.push(sample)
      return sample
    } catch {
      return undefined // the process is gone (restarting)
    }
  }

  stop(): { min: MemorySample | undefined; max: MemorySample | undefined } {
    clearInterval(this.timer)
    const byRss = [...this.samples].sort((a, b) => a.rssMb - b.rssMb)
    return { min: byRss[0], max: byRss[byRss.length - 1] }
  }
}
