// Phase 5: many authenticated connections opened at a rate the stage throttle allows (src/api.ts:
// 500/s, burst 1,000; we aim at 400/s), held open, while two other users chat beside them. The
// emulator's memory is sampled every 5 s. At the end the clients drop their sockets and we wait for
// the emulator to run every `$disconnect`.
import { performance } from 'node:perf_hooks'
import { LoadClient } from '../bench/load-client.ts'
import { userUrls } from '../bench/bench-users.ts'
import { ChatBeside, type ChatFigures } from './chat-beside.ts'
import { MemorySampler, type MemorySample } from './memory-sampler.ts'
import type { Supervisor } from './supervisor.ts'
import { Tally } from './tally.ts'

export const holdPhase = 'hold connections'
const connectsPerSecond = 400
const maxInFlight = 64

export interface HoldOptions {
  readonly connections: number
  readonly holdSeconds: number
  readonly users: number
}

export interface HoldResult {
  readonly opened: number
  readonly connectSeconds: number
  readonly connectRate: number
  /** Handshake failures (each retried) by reason. */
  readonly failures: Tally
  /** Held sockets that closed before the end. */
  readonly droppedDuringHold: number
  readonly memory: { readonly min?: MemorySample; readonly max?: MemorySample; readonly samples: MemorySample[] }
  readonly chat: ChatFigures
  /** How long the emulator took to run every `$disconnect` once the clients dropped (undefined: not all within 120 s). */
  readonly disconnectSeconds: number | undefined
  readonly disconnectsSeen: number
}

export async function holdConnections(sup: Supervisor, options: HoldOptions): Promise<HoldResult> {
  sup.enter(holdPhase)
  const proc = await sup.ready()
  const urls = await userUrls(proc, options.connections, options.users, 'hold')
  const clients: LoadClient[] = []
  let dropped = 0
  let holding = false
  const sampler = new MemorySampler(sup, 5000, () => `${clients.length} open`)
  await sampler.take()
  const chat = new ChatBeside(sup, 'hold-chat', ['hold-alice', 'hold-bob'])
  await chat.start()

  const failures = new Tally()
  const started = performance.now()
  let next = 0
  let inFlight = 0
  await new Promise<void>((resolve) => {
    const tick = setInterval(() => {
      const due = Math.floor(((performance.now() - started) / 1000) * connectsPerSecond) - (clients.length + inFlight)
      for (let i = 0; i < due && inFlight < maxInFlight && next < urls.length; i++) {
        const url = urls[next++]
        inFlight++
        LoadClient.open(url).then(
          (client) => {
            inFlight--
            clients.push(client)
            client.socket.once('close', () => void (holding && dropped++))
            if (clients.length === options.connections) {
              clearInterval(tick)
              resolve()
            }
          },
          (error: unknown) => {
            inFlight--
            failures.count('connect', /HTTP (\d+)/.exec(String(error))?.[0] ?? String(error).slice(0, 50))
            urls.push(url) // retry it later
          },
        )
      }
      // Give up on the rest after two minutes of trying (the figures say how many opened).
      if (performance.now() - started > 120_000) {
        clearInterval(tick)
        resolve()
      }
    }, 10)
  })
  const connectSeconds = (performance.now() - started) / 1000
  console.log(`  ${clients.length} connections open in ${connectSeconds.toFixed(1)} s; holding for ${options.holdSeconds} s`)
  holding = true
  await new Promise((r) => setTimeout(r, options.holdSeconds * 1000))
  holding = false
  await sampler.take()
  const memory = sampler.stop()
  const chatFigures = await chat.stop()

  const current = await sup.ready()
  const from = current.log.length
  const dropStarted = performance.now()
  for (const c of clients) c.socket.terminate()
  const expected = clients.length - dropped
  let seen = 0
  for (let i = from; seen < expected && performance.now() - dropStarted < 120_000; ) {
    for (; i < current.log.length; i++) if (current.log[i].routeKey === '$disconnect') seen++
    if (seen < expected) await new Promise((r) => setTimeout(r, 250))
  }
  return {
    opened: clients.length,
    connectSeconds,
    connectRate: clients.length / connectSeconds,
    failures,
    droppedDuringHold: dropped,
    memory: { ...memory, samples: sampler.samples },
    chat: chatFigures,
    disconnectSeconds: seen >= expected ? (performance.now() - dropStarted) / 1000 : undefined,
    disconnectsSeen: seen,
  }
}
