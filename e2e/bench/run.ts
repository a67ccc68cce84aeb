// `npm run bench`: the same load client against three systems, side by side, each in its own
// process and started fresh for every scenario (systems.ts): the plain `ws` broadcast server (the
// baseline), the AWS-sample-style app on the emulator, and the chat on the emulator (its real
// handlers, dynalite, the real SDK posting through @connections). For each scenario × system it
// prints throughput, latency, loss, the server's CPU per connect/delivery and its peak memory, each
// as a ratio to plain `ws` in the same run, then a markdown table for the README, and what each
// emulated row would cost on AWS per million messages (the emulator's usage report, usage-cost.ts).
// Asserts nothing.
//
// Knobs (environment):
//   BENCH_SYSTEMS=ws,sample,chat   which systems (default all)
//   BENCH_SCENARIOS=storm,...      which scenarios (default all): storm, fanout10, fanout100,
//                                  fanout500, fanout100x10, fanout100x4, steady10x0.5,
//                                  steady50x0.2, steady50x0.5, steady50x2 (scenarios.ts)
//   BENCH_STORM_CONNECTIONS=1000   connections in the connect storm
//   BENCH_FANOUT_SECONDS=6         how long each closed-loop fan-out sends (fanout10/100/500, fanout100x10)
//   BENCH_FANOUT_MESSAGES=n        instead: exactly n messages each, however long they take
//   BENCH_CHAT_FANOUT_MESSAGES=300 messages in fanout100x4 (the chat's own fan-out)
//   BENCH_STEADY_SECONDS=15        each steady rung's sending window
//   BENCH_DRAIN_MAX_SECONDS=60     bound on a rung's drain (it ends once nothing arrived for 2 s)
//   BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=prof"  node flags for the servers (sandboxes too)
// A default run takes about 7.5 minutes on 2 cores (measured with other work taking 1.2 of them).
import os from 'node:os'
import { performance } from 'node:perf_hooks'
import { MachineLoad } from './machine-load.ts'
import { ProcessMeter, readDescendantsMemory } from './process-meter.ts'
import { baselineOf, machineLine, memoryTable, progressLine, resultsTable, type Result } from './report.ts'
import { chosenScenarios, heaviestRungId, knobs, type Scenario } from './scenarios.ts'
import { chosenSystems, systems, type System } from './systems.ts'
import { costTable, scenarioCost, type ScenarioCost } from './usage-cost.ts'
import { usd } from '../../emulator/usage/usage-format.ts'

async function runOne(scenario: Scenario, system: System, machine: MachineLoad): Promise<Result & { cost?: ScenarioCost }> {
  const base = { scenarioId: scenario.id, scenarioLabel: scenario.label, systemId: system.id, systemName: system.name }
  const running = await system.start().catch((error: unknown) => error as Error)
  if (running instanceof Error) return { ...base, failure: `did not start: ${running.message.split('\n')[0]}` }
  const meter = new ProcessMeter(running.pid)
  try {
    const idle = await meter.read()
    const idleChildren = await readDescendantsMemory(running.pid)
    const urls = await running.clientUrls(scenario.connections)
    // Peaks count from here: what signing in costs the chat's emulator is not the scenario's.
    meter.resetPeaks()
    const mark = await running.usage?.mark()
    const measurement = await scenario.run({ system, urls, meter })
    await meter.stop()
    const usage = mark === undefined ? undefined : await running.usage!.since(mark)
    const cost = usage && scenarioCost(usage, measurement.unit, (measurement.unit === 'connect' ? measurement.expected : measurement.sent) ?? 0)
    return { ...base, measurement, idle, idleChildren, peaks: meter.peaks(), ...(cost ? { cost } : {}) }
  } catch (error) {
    return { ...base, failure: error instanceof Error ? error.message.split('\n')[0] : String(error) }
  } finally {
    await meter.stop()
    await machine.countServer(running.pid)
    await running.close()
  }
}

// The machine is shared (other work on the same cores slows every system): say how busy it was.
const load = () => os.loadavg().map((n) => n.toFixed(2)).join(', ')
const machine = await MachineLoad.start()
const started = performance.now()
const chosen = chosenSystems()
const results: (Result & { cost?: ScenarioCost })[] = []
console.log(`${machineLine()}; load average (1, 5, 15 min) at start: ${load()}\n`)
for (const scenario of chosenScenarios()) {
  for (const system of scenario.systems.filter((id) => chosen.includes(id)).map((id) => systems[id])) {
    const rowStarted = performance.now()
    const result = await runOne(scenario, system, machine)
    results.push(result)
    console.log(`[${((performance.now() - started) / 1000).toFixed(0)} s, this row ${((performance.now() - rowStarted) / 1000).toFixed(0)} s] ${progressLine(result, baselineOf(results, result))}${result.cost ? `, AWS ${usd(result.cost.usdPerMillion)} per million ${result.cost.per}s` : ''}`)
  }
}
const minutes = (performance.now() - started) / 60_000
const loadAtEnd = load()
const others = await machine.others()

console.log(`\n## Results (${minutes.toFixed(1)} min)\n`)
console.log(`${machineLine()}; load average (1, 5, 15 min) at the end: ${loadAtEnd}`)
console.log(`other work on this machine during the run: ${others.otherCores.toFixed(2)} cores on average (hypervisor steal ${others.stealCores.toFixed(2)})\n`)
console.log(resultsTable(results))
console.log('\nWhat each scenario would cost on AWS, per million messages sent (storm: per million connects), from the emulator\'s usage report (us-east-1 list prices, on-demand DynamoDB, no free tier; connects and warm-up included):\n')
console.log(costTable(results))
console.log('\nMemory of each server process (MB):\n')
console.log(memoryTable(results, 'storm', heaviestRungId, chosen.map((id) => systems[id]), knobs.stormConnections))
console.log(
  '\n(× ws) is the figure divided by plain ws in the same scenario of this run: below 1× is slower for throughput;' +
    ' above 1× is slower or costs more for latency, CPU and memory. CPU: utime + stime of the server process, all' +
    ' threads, over the measured window, per connect or delivery. Memory peaks are sampled every 200 ms.',
)
