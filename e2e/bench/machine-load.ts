// How much of the machine the benchmark did not have: CPU the whole machine spent busy during the
// run (/proc/stat), less the benchmark's own process and the servers it started (with their child
// processes, e.g. the emulator's esbuild services), is what other work took from the same cores. The
// figures of every system suffer from it; the ratios to plain `ws` in the same run less so.
import { performance } from 'node:perf_hooks'
import { descendantsOf, readCpuMicros, readMachineCpuMicros } from './process-meter.ts'

export class MachineLoad {
  private serversMicros = 0
  private readonly startedAt = performance.now()
  private readonly ownAtStart = process.cpuUsage()

  private constructor(private readonly machineAtStart: { busy: number; steal: number }) {}

  static async start(): Promise<MachineLoad> {
    return new MachineLoad(await readMachineCpuMicros())
  }

  /** Call just before a server is stopped: counts the CPU it and its children have used since they started. */
  async countServer(pid: number): Promise<void> {
    for (const p of [pid, ...(await descendantsOf(pid).catch(() => []))]) {
      this.serversMicros += await readCpuMicros(p).catch(() => 0)
    }
  }

  /** Average cores used by other work and taken by the hypervisor (steal) since the start; call once the servers are stopped. */
  async others(): Promise<{ otherCores: number; stealCores: number; seconds: number }> {
    const machine = await readMachineCpuMicros()
    const own = process.cpuUsage(this.ownAtStart)
    // What is left of our own children (tsx's esbuild service), counted since it started: a slight overcount.
    for (const p of await descendantsOf(process.pid).catch(() => [])) this.serversMicros += await readCpuMicros(p).catch(() => 0)
    const elapsedMicros = (performance.now() - this.startedAt) * 1000
    const other = machine.busy - this.machineAtStart.busy - (own.user + own.system) - this.serversMicros
    return { otherCores: Math.max(0, other) / elapsedMicros, stealCores: (machine.steal - this.machineAtStart.steal) / elapsedMicros, seconds: elapsedMicros / 1e6 }
  }
}
