// Phase 1: fuzzed frames on authenticated connections. Each connection writes one input, waits (at
// most 5 s) for its answer, and reconnects when the server closed it. When the emulator goes down,
// the connections park while the inputs that were in flight are replayed one at a time on the
// restarted emulator: the one that takes it down again is the culprit, recorded and not sent again.
import { createHash } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import type { RawWebSocket } from '../fixtures/fidelity/raw-websocket.ts'
import { layoutOf, payloadOf, wireBytes, type FrameCase } from './frame-case.ts'
import { FrameSchedule } from './frame-schedule.ts'
import { answerTo, openFuzzConnection } from './fuzz-connection.ts'
import { floodModes, pingFlood, type FloodMode } from './ping-flood.ts'
import type { Prng } from './prng.ts'
import { suspectOf, type SuspectInput, type Supervisor } from './supervisor.ts'
import { Tally } from './tally.ts'

export const wsFuzzPhase = 'WebSocket fuzz'
const answerTimeoutMs = 5000

export interface WsFuzzOptions {
  readonly connections: number
  readonly frames: number
  readonly pingFloods: number
  readonly pingsPerFlood: number
}

export interface ClassFigures {
  cases: number
  frames: number
  /** Inputs of the class for which the spec says what must happen, and how many of them it did. */
  expected: number
  met: number
}

export interface WsFuzzResult {
  readonly outcomes: Tally
  readonly classes: Map<string, ClassFigures>
  readonly frames: number
  readonly pingFrames: number
  readonly reconnects: number
  readonly pushesSkipped: number
  readonly handshakes: Tally
  /** Inputs that took the emulator down again when replayed alone. */
  readonly culprits: SuspectInput[]
  /** Crashes whose in-flight inputs did not reproduce it one by one. */
  readonly unreproduced: number
  readonly seconds: number
}

const describe = (c: FrameCase) => suspectOf(c.class, `${c.name} [${layoutOf(c)}]`, payloadOf(c))
const keyOf = (c: FrameCase) => `${c.class}|${c.name}|${createHash('sha1').update(payloadOf(c)).digest('hex')}`

export async function wsFuzz(sup: Supervisor, rng: Prng, options: WsFuzzOptions): Promise<WsFuzzResult> {
  const schedule = new FrameSchedule(rng.fork('frames'), options.frames)
  const outcomes = new Tally()
  const handshakes = new Tally()
  const classes = new Map<string, ClassFigures>()
  const inFlight = new Map<number, FrameCase>()
  const crashes: FrameCase[][] = []
  const quarantined = new Set<string>()
  const culprits: SuspectInput[] = []
  let replaying: FrameCase | undefined
  let isolating: Promise<void> | undefined
  let unreproduced = 0
  let reconnects = 0
  let pushesSkipped = 0
  let pingFrames = 0
  const onPush = () => void pushesSkipped++
  // Called by the supervisor as the emulator goes down: what was in flight.
  sup.enter(wsFuzzPhase, () => {
    if (replaying) return [{ ...describe(replaying), name: `replayed alone: ${replaying.name}` }]
    const cases = [...inFlight.values()]
    crashes.push(cases)
    return cases.map(describe)
  })
  const started = performance.now()

  const figuresOf = (cls: string) => {
    const figures = classes.get(cls) ?? { cases: 0, frames: 0, expected: 0, met: 0 }
    classes.set(cls, figures)
    return figures
  }

  /** Replays each suspect alone; true when it took the emulator down again. */
  const isolate = async (suspects: FrameCase[]) => {
    while (inFlight.size > 0) await new Promise((r) => setTimeout(r, 50))
    let found = false
    let raw: RawWebSocket | undefined
    for (const c of suspects) {
      replaying = c
      if (!raw || raw.ended) raw = await openFuzzConnection(sup, 'fuzz-replay', handshakes)
      raw.writeRaw(wireBytes(c))
      const { ends } = await answerTo(raw, answerTimeoutMs, onPush)
      // The crashes seen so far are synchronous: the process is gone by the time the socket closes.
      if (ends && (await sup.exitsWithin(500))) {
        found = true
        quarantined.add(keyOf(c))
        culprits.push(describe(c))
        await sup.ready()
      }
      if (ends) raw.end()
    }
    raw?.end()
    replaying = undefined
    if (!found) unreproduced++
  }

  const afterCrashes = async () => {
    while (isolating || crashes.length > 0) {
      if (!isolating) isolating = isolate(crashes.shift()!).finally(() => (isolating = undefined))
      await isolating
    }
  }

  const lane = async (i: number) => {
    let raw: RawWebSocket | undefined
    let opened = 0
    for (let c = schedule.next(); c; c = schedule.next()) {
      await afterCrashes()
      if (quarantined.has(keyOf(c))) {
        outcomes.count(c.class, 'not sent: took the emulator down before')
        schedule.refund(c.frames.length)
        continue
      }
      if (raw?.ended) raw = undefined
      if (!raw) {
        if (opened++ > 0) reconnects++
        raw = await openFuzzConnection(sup, `fuzz${i}`, handshakes)
      }
      inFlight.set(i, c)
      raw.writeRaw(wireBytes(c))
      let { outcome, reply, ends } = await answerTo(raw, answerTimeoutMs, onPush)
      // A close frame is the server choosing to close; a bare TCP end may be the process dying.
      if (ends && !outcome.startsWith('close ') && (await sup.exitsWithin(300))) outcome = 'emulator went down'
      inFlight.delete(i)
      outcomes.count(c.class, outcome)
      const figures = figuresOf(c.class)
      figures.cases++
      figures.frames += c.frames.length
      if (c.expect !== undefined) figures.expected++
      if (c.expect !== undefined && outcome === c.expect) figures.met++
      if (outcome.includes('Internal server error')) outcomes.sample({ kind: 'Internal server error', input: describe(c), reply })
      if (outcome.startsWith('timeout')) outcomes.sample({ kind: 'timeout', input: describe(c) })
      if (ends) {
        raw.end()
        raw = undefined
      }
    }
    raw?.end()
  }

  const modes = Object.keys(floodModes) as FloodMode[]
  const floods = async () => {
    for (let f = 0; f < options.pingFloods; f++) {
      await afterCrashes()
      const mode = modes[f % modes.length]
      const cls = floodModes[mode]
      const raw = await openFuzzConnection(sup, `fuzz${options.connections}`, handshakes)
      outcomes.count(cls, await pingFlood(raw, options.pingsPerFlood, mode))
      raw.end()
      pingFrames += options.pingsPerFlood
      const figures = figuresOf(cls)
      figures.cases++
      figures.frames += options.pingsPerFlood
    }
  }

  const progress = setInterval(() => console.log(`  … ${schedule.frames} of ${options.frames} frames, ${pingFrames} pings, ${sup.restartsIn(wsFuzzPhase).length} restarts`), 15_000)
  await Promise.all([...Array.from({ length: options.connections }, (_, i) => lane(i)), floods()])
  await afterCrashes()
  clearInterval(progress)
  return {
    outcomes,
    classes,
    frames: schedule.frames,
    pingFrames,
    reconnects,
    pushesSkipped,
    handshakes,
    culprits,
    unreproduced,
    seconds: (performance.now() - started) / 1000,
  }
}
