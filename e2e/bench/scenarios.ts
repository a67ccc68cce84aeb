// The benchmark's scenarios: each opens its connections against one running system, measures one
// window and returns what it saw. The same code runs for every system; only the protocol its clients
// speak differs (load-client.ts). Knobs (environment, see run.ts): BENCH_STORM_CONNECTIONS,
// BENCH_FANOUT_SECONDS, BENCH_FANOUT_MESSAGES, BENCH_CHAT_FANOUT_MESSAGES, BENCH_STEADY_SECONDS,
// BENCH_DRAIN_MAX_SECONDS.
import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { LoadClient, type Delivery, type Protocol } from './load-client.ts'
import type { MemoryReading, ProcessMeter } from './process-meter.ts'
import { summarize } from './stats.ts'
import type { System, SystemId } from './systems.ts'

export interface ScenarioContext {
  readonly system: System
  /** One URL per connection the scenario opens (signed in already, for the chat). */
  readonly urls: readonly string[]
  /** Samples the server process; scenarios read its CPU time at the ends of their window. */
  readonly meter: ProcessMeter
}

export interface Measurement {
  /** What `expected` and `received` count. */
  readonly unit: 'connect' | 'delivery'
  readonly expected: number
  readonly received: number
  /** The measured window. */
  readonly seconds: number
  /** Connect latency (storm) or delivery latency: send to receipt, in ms. */
  readonly latency: { readonly p50: number; readonly p99: number; readonly max: number }
  /** The server process's CPU time (all threads) over the window, in µs. */
  readonly cpuMicros: number
  /** Frames that were neither a delivery nor an ack (e.g. `Internal server error`), or failed connects. */
  readonly errors: number
  /** Messages sent in the window (fan-out, steady). */
  readonly sent?: number
  /** Anything else worth a mention, e.g. messages that never reached everyone. */
  readonly note?: string
  /** Storm: the server's memory with all its connections open, read right after the last one opened. */
  readonly memoryAfter?: MemoryReading
}

export interface Scenario {
  readonly id: string
  readonly label: string
  /** The systems it runs on (BENCH_SYSTEMS narrows them). */
  readonly systems: readonly SystemId[]
  readonly connections: number
  run(ctx: ScenarioContext): Promise<Measurement>
}

const env = (name: string, fallback: number) => {
  const value = process.env[name]
  if (value === undefined || value === '') return fallback
  const n = Number(value)
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, got ${value}`)
  return n
}

export const knobs = {
  stormConnections: env('BENCH_STORM_CONNECTIONS', 1000),
  fanoutSeconds: env('BENCH_FANOUT_SECONDS', 6),
  /** When set, each closed-loop fan-out sends exactly this many messages, however long it takes. */
  fanoutMessages: process.env.BENCH_FANOUT_MESSAGES ? env('BENCH_FANOUT_MESSAGES', 1) : undefined,
  chatFanoutMessages: env('BENCH_CHAT_FANOUT_MESSAGES', 300),
  steadySeconds: env('BENCH_STEADY_SECONDS', 15),
  drainMaxSeconds: env('BENCH_DRAIN_MAX_SECONDS', 60),
}

/** Connections opened at a time, in every scenario. */
const connectParallel = 10
/** A message that has not reached every connection this long after it was sent counts as lost. */
const messageTimeoutMs = 10_000
/** The warm-up message must reach everyone within this (cold sandboxes included). */
const warmUpTimeoutMs = 30_000
/** The drain ends once nothing has arrived for this long. */
const quietMs = 2000

interface Opened {
  readonly clients: LoadClient[]
  readonly failures: number
}

/** Opens one connection per URL, `parallel` at a time; `latencies` gets each handshake's time. */
async function openAll(urls: readonly string[], protocol: Protocol, options: { latencies?: number[]; tolerateFailures?: boolean } = {}): Promise<Opened> {
  const clients: LoadClient[] = []
  let failures = 0
  let next = 0
  await Promise.all(
    Array.from({ length: Math.min(connectParallel, urls.length) }, async () => {
      while (next < urls.length) {
        const url = urls[next++]
        const started = performance.now()
        try {
          clients.push(await LoadClient.open(url, protocol))
          options.latencies?.push(performance.now() - started)
        } catch (error) {
          if (!options.tolerateFailures) throw error
          failures++
        }
      }
    }),
  )
  return { clients, failures }
}

const closeAll = (clients: readonly LoadClient[]) => Promise.all(clients.map((c) => c.close()))
const errorsOf = (clients: readonly LoadClient[]) => clients.reduce((n, c) => n + c.errors.length, 0)

/**
 * Counts deliveries of benchmark messages to a set of clients: how many of each sequence number
 * arrived, their latencies (warm-up messages, seq < 0, excluded), and when the last one arrived.
 */
class DeliveryTracker {
  readonly latencies: number[] = []
  received = 0
  lastAt = 0
  private readonly awaited = new Map<number, { remaining: number; done: (reached: boolean) => void }>()
  private onAny: (() => void) | undefined

  constructor(readonly clients: readonly LoadClient[]) {
    for (const c of clients) c.onDelivery = (d) => this.record(d)
  }

  /** Resolves true once message `seq` reached every client, false after `timeoutMs`. Call before sending it. */
  reachedAll(seq: number, timeoutMs = messageTimeoutMs): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.awaited.delete(seq)
        resolve(false)
      }, timeoutMs)
      this.awaited.set(seq, {
        remaining: this.clients.length,
        done: (reached) => {
          clearTimeout(timer)
          resolve(reached)
        },
      })
    })
  }

  /** Sends the uncounted warm-up message and waits until everyone has it (cold starts happen here). */
  async warmUp(): Promise<void> {
    const reached = this.reachedAll(-1, warmUpTimeoutMs)
    this.clients[0].sendBench(-1)
    if (!(await reached)) throw new Error(`the warm-up message did not reach all ${this.clients.length} connections within ${warmUpTimeoutMs / 1000} s`)
  }

  /** Resolves once nothing has arrived for `quiet` ms, or after `maxMs` whatever arrives. */
  quiet(quiet: number, maxMs: number): Promise<void> {
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout
      const finish = () => {
        clearTimeout(timer)
        clearTimeout(bound)
        this.onAny = undefined
        resolve()
      }
      const bound = setTimeout(finish, maxMs)
      const rearm = () => {
        clearTimeout(timer)
        timer = setTimeout(finish, quiet)
      }
      this.onAny = rearm
      rearm()
    })
  }

  private record(d: Delivery): void {
    this.lastAt = performance.now()
    if (d.seq >= 0) {
      this.received++
      this.latencies.push(d.latencyMs)
    }
    const awaited = this.awaited.get(d.seq)
    if (awaited && --awaited.remaining === 0) {
      this.awaited.delete(d.seq)
      awaited.done(true)
    }
    this.onAny?.()
  }
}

/** Connect storm: after 10 warm-up connections (opened and closed, and the server quiet again), open all, `connectParallel` at a time. */
async function connectStorm(ctx: ScenarioContext): Promise<Measurement> {
  const { protocol } = ctx.system
  const warm = await openAll(ctx.urls.slice(0, connectParallel), protocol)
  await closeAll(warm.clients)
  // The warm-up's `$disconnect`s (cold starts on the emulator) run before the storm, not inside it.
  await ctx.meter.quiet()
  const latencies: number[] = []
  const cpuBefore = await ctx.meter.cpuNow()
  const started = performance.now()
  const { clients, failures } = await openAll(ctx.urls, protocol, { latencies, tolerateFailures: true })
  const seconds = (performance.now() - started) / 1000
  const cpuMicros = (await ctx.meter.cpuNow()) - cpuBefore
  const memoryAfter = await ctx.meter.read()
  await closeAll(clients)
  return {
    unit: 'connect',
    expected: ctx.urls.length,
    received: clients.length,
    seconds,
    latency: summarize(latencies),
    cpuMicros,
    errors: failures,
    memoryAfter,
  }
}

interface FanOutOptions {
  /** Messages in flight at a time: the next is sent once one has reached every connection. */
  readonly inFlight: number
  /** Send exactly this many; otherwise as many as fit in `seconds`. */
  readonly messages?: number
  readonly seconds?: number
  /**
   * `ack` (chat only): a sender's next message goes once the previous one is acknowledged (the chat
   * acks once it has sent the message to everyone), as the chat's own fan-out scenario always has;
   * the window ends when every message has arrived everywhere. `delivery`: once it has arrived at
   * every connection.
   */
  readonly pace: 'ack' | 'delivery'
}

/** Fan-out: every connection gets every message; the senders take turns. One uncounted warm-up message first. */
async function fanOut(ctx: ScenarioContext, options: FanOutOptions): Promise<Measurement> {
  const { clients } = await openAll(ctx.urls, ctx.system.protocol)
  try {
    const tracker = new DeliveryTracker(clients)
    await tracker.warmUp()
    const pace = ctx.system.protocol === 'chat' ? options.pace : 'delivery'
    const cpuBefore = await ctx.meter.cpuNow()
    const started = performance.now()
    const deadline = options.messages === undefined ? started + (options.seconds ?? knobs.fanoutSeconds) * 1000 : Number.POSITIVE_INFINITY
    const limit = options.messages ?? Number.POSITIVE_INFINITY
    let next = 0
    let incomplete = 0
    const arrivals: Promise<boolean>[] = []
    await Promise.all(
      Array.from({ length: options.inFlight }, async () => {
        while (next < limit && performance.now() < deadline) {
          const seq = next++
          const sender = clients[seq % clients.length]
          const reached = tracker.reachedAll(seq, pace === 'ack' ? warmUpTimeoutMs : messageTimeoutMs)
          if (pace === 'ack') {
            arrivals.push(reached)
            await sender.request(seq)
          } else {
            sender.sendBench(seq)
            if (!(await reached)) incomplete++
          }
        }
      }),
    )
    for (const reached of await Promise.all(arrivals)) if (!reached) incomplete++
    const seconds = (performance.now() - started) / 1000
    const cpuMicros = (await ctx.meter.cpuNow()) - cpuBefore
    return {
      unit: 'delivery',
      expected: next * clients.length,
      received: tracker.received,
      seconds,
      latency: summarize(tracker.latencies),
      cpuMicros,
      errors: errorsOf(clients),
      sent: next,
      ...(incomplete > 0 ? { note: `${incomplete} of ${next} messages did not reach everyone within ${(pace === 'ack' ? warmUpTimeoutMs : messageTimeoutMs) / 1000} s` } : {}),
    }
  } finally {
    await closeAll(clients)
  }
}

/**
 * Steady senders: each client sends `rate` messages a second (their starts spread over one period),
 * every message goes to all; for `seconds`, then the drain: until nothing arrived for 2 s (bounded),
 * so that "lost" counts messages that never arrive, not late ones. The window runs from the first
 * send to the last delivery (the server's CPU is read at the first sample after it).
 */
async function steady(ctx: ScenarioContext, rate: number): Promise<Measurement> {
  const { clients } = await openAll(ctx.urls, ctx.system.protocol)
  try {
    const tracker = new DeliveryTracker(clients)
    await tracker.warmUp()
    const cpuBefore = await ctx.meter.cpuNow()
    const started = performance.now()
    let seq = 0
    const periodMs = 1000 / rate
    const timers = clients.map((c, i) =>
      setTimeout(() => {
        const tick = () => c.sendBench(seq++)
        tick()
        timers[i] = setInterval(tick, periodMs)
      }, (i * periodMs) / clients.length),
    )
    await sleep(knobs.steadySeconds * 1000) // the measurement window itself
    for (const t of timers) clearInterval(t)
    const sent = seq
    await tracker.quiet(quietMs, knobs.drainMaxSeconds * 1000)
    const endedAt = Math.max(tracker.lastAt, started)
    const cpuMicros = (await ctx.meter.cpuAtOrAfter(endedAt)) - cpuBefore
    const expected = sent * clients.length
    const drainedIn = (performance.now() - started) / 1000 - knobs.steadySeconds
    return {
      unit: 'delivery',
      expected,
      received: tracker.received,
      seconds: (endedAt - started) / 1000,
      latency: summarize(tracker.latencies),
      cpuMicros,
      errors: errorsOf(clients),
      sent,
      ...(drainedIn > quietMs / 1000 + 1 ? { note: `backlog drained ${Math.round(drainedIn)} s after the senders stopped` } : {}),
    }
  } finally {
    await closeAll(clients)
  }
}

const dataSystems: readonly SystemId[] = ['ws', 'sample']

const fanOutClosedLoop = (connections: number): Scenario => ({
  id: `fanout${connections}`,
  label: `fan-out to ${connections}, closed loop (1 in flight)`,
  systems: dataSystems,
  connections,
  run: (ctx) => fanOut(ctx, { inFlight: 1, messages: knobs.fanoutMessages, pace: 'delivery' }),
})

const steadyRung = (clients: number, rate: number, systems: readonly SystemId[]): Scenario => ({
  id: `steady${clients}x${rate}`,
  label: `steady: ${clients} clients × ${rate} msg/s for ${knobs.steadySeconds} s (${(clients * clients * rate).toLocaleString('en-US')} deliveries/s offered)`,
  systems,
  connections: clients,
  run: (ctx) => steady(ctx, rate),
})

/** Every scenario, in the order they run and are reported. */
export const scenarios: readonly Scenario[] = [
  {
    id: 'storm',
    label: `connect storm: ${knobs.stormConnections.toLocaleString('en-US')} connections, ${connectParallel} in flight`,
    systems: ['ws', 'sample', 'chat'],
    connections: knobs.stormConnections,
    run: connectStorm,
  },
  fanOutClosedLoop(10),
  fanOutClosedLoop(100),
  fanOutClosedLoop(500),
  {
    id: 'fanout100x10',
    label: 'fan-out to 100, 10 in flight',
    systems: dataSystems,
    connections: 100,
    run: (ctx) => fanOut(ctx, { inFlight: 10, messages: knobs.fanoutMessages, pace: 'delivery' }),
  },
  {
    // The chat's own fan-out, unchanged: one room (`lobby`), 4 in flight, paced by its acks.
    id: 'fanout100x4',
    label: `fan-out to 100, 4 in flight, ${knobs.chatFanoutMessages} messages (the chat's: paced by acks)`,
    systems: ['ws', 'chat'],
    connections: 100,
    run: (ctx) => fanOut(ctx, { inFlight: 4, messages: knobs.chatFanoutMessages, pace: 'ack' }),
  },
  steadyRung(10, 0.5, dataSystems),
  steadyRung(50, 0.2, dataSystems),
  steadyRung(50, 0.5, ['ws', 'chat']),
  steadyRung(50, 2, ['ws', 'sample', 'chat']),
]

/** The heaviest rung: the emulators' memory under it is reported on its own. */
export const heaviestRungId = 'steady50x2'

/** BENCH_SCENARIOS, e.g. `storm,fanout100` (default: all). */
export function chosenScenarios(list = process.env.BENCH_SCENARIOS): Scenario[] {
  if (!list) return [...scenarios]
  const ids = list.split(',').map((s) => s.trim()).filter(Boolean)
  for (const id of ids) if (!scenarios.some((s) => s.id === id)) throw new Error(`unknown scenario ${id}; choose from ${scenarios.map((s) => s.id).join(', ')}`)
  return scenarios.filter((s) => ids.includes(s.id))
}
