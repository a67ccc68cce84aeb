// Phase 7: `kill -9` during a stream of acknowledged messages. Several users stream messages into
// one room, each one's `ack` (with its id) recorded; mid-stream the whole process group gets
// SIGKILL; the emulator restarts on the same --data and the room's history, paged with its cursor,
// shows what survived. An acknowledged message must survive; an unacknowledged one may have landed.
import { performance } from 'node:perf_hooks'
import { call, ok } from '../product-client.ts'
import { connectAs } from '../users.ts'
import type { TestClient } from '../ws-client.ts'
import type { Prng } from './prng.ts'
import type { Supervisor } from './supervisor.ts'

export const killPhase = 'kill -9'
/** Each streamer sends 3.3 a second, inside the per-user budget (src/rate-limit.ts). */
const sendEveryMs = 300

export interface KillResult {
  readonly killedAfterSeconds: number
  readonly sent: number
  readonly acked: number
  readonly ackedSurvived: number
  readonly ackedLost: string[]
  readonly unackedLanded: number
  readonly duplicates: number
  readonly restartSeconds: number
  readonly historyPages: number
}

export async function killDurability(sup: Supervisor, rng: Prng, streamers: number): Promise<KillResult> {
  sup.enter(killPhase)
  const room = `durable-${rng.seed}`
  const proc = await sup.ready()
  const clients: TestClient[] = []
  for (let i = 0; i < streamers; i++) {
    const client = await connectAs(proc, `durable${i}`)
    await ok(client, { action: 'joinroom', room })
    clients.push(client)
  }
  const sent = new Set<string>()
  const acked = new Map<string, string>() // text → message id
  let seq = 0
  for (const client of clients) {
    client.socket.on('message', (data) => {
      const frame = JSON.parse(String(data)) as { type?: string; ref?: string; id?: string }
      if (frame.type === 'ack' && frame.ref?.startsWith('d-') && frame.id) acked.set(`durable ${frame.ref.slice(2)}`, frame.id)
    })
  }
  const timers = clients.map((client, i) =>
    setInterval(() => {
      if (client.closeEvent) return
      const n = seq++
      sent.add(`durable ${n}`)
      client.send({ action: 'sendmessage', room, text: `durable ${n}`, clientMessageId: `d-${n}`, ref: `d-${n}` })
    }, sendEveryMs + i * 7),
  )
  const killAfterMs = rng.int(4000, 8000)
  await new Promise((r) => setTimeout(r, killAfterMs))
  // SIGKILL to the whole group mid-stream, then a new process on the same --data (not a crash).
  const restartStarted = performance.now()
  const restarted = await sup.replace('SIGKILL')
  const restartSeconds = (performance.now() - restartStarted) / 1000
  for (const t of timers) clearInterval(t)
  await Promise.all(clients.map((c) => c.closed(5000).catch(() => undefined)))

  const reader = await connectAs(restarted, 'durable0')
  await ok(reader, { action: 'joinroom', room })
  const texts = new Map<string, number>()
  const ids = new Set<string>()
  let pages = 0
  for (let before: string | undefined; ; pages++) {
    const page = await call(reader, { action: 'history', room, limit: 100, ...(before ? { before } : {}) }, 10_000)
    if (page.type !== 'history') throw new Error(`history answered ${JSON.stringify(page)}`)
    for (const m of page.messages as { id: string; text: string }[]) {
      ids.add(m.id)
      texts.set(m.text, (texts.get(m.text) ?? 0) + 1)
    }
    if (!page.cursor) break
    before = page.cursor as string
  }
  await reader.close()
  const ackedLost = [...acked].filter(([, id]) => !ids.has(id)).map(([text, id]) => `${text} (${id})`)
  return {
    killedAfterSeconds: killAfterMs / 1000,
    sent: sent.size,
    acked: acked.size,
    ackedSurvived: acked.size - ackedLost.length,
    ackedLost,
    unackedLanded: [...sent].filter((t) => !acked.has(t) && texts.has(t)).length,
    duplicates: [...texts.values()].filter((n) => n > 1).length,
    restartSeconds,
    historyPages: pages + 1,
  }
}
