// `npm run chaos`: a rerunnable attack campaign against the emulator, run as `npm run dev` runs it
// (its own process group, on-disk --data, the web page, the stage throttle, JSON invocation logs).
// Prints figures and one table; asserts nothing. A crash is a restart, counted and survived.
// Settings (environment): CHAOS_SEED (replay), CHAOS_PHASES=fuzz,tokens,hold,slow,kill,sigint,
// CHAOS_FRAMES=10000, CHAOS_FUZZ_CONNECTIONS=16, CHAOS_PINGS=2500 (per flood, 3 floods),
// CHAOS_HTTP_REQUESTS=1000, CHAOS_CONNECTIONS=5000, CHAOS_HOLD_SECONDS=120,
// CHAOS_SLOW_CONSUMERS=20, CHAOS_FLOOD_SECONDS=25.
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fixed } from '../bench/stats.ts'
import { badTokens, badTokensPhase } from './bad-tokens.ts'
import { ChatBeside } from './chat-beside.ts'
import { holdConnections, holdPhase } from './hold-connections.ts'
import { httpFuzz, httpFuzzPhase } from './http-fuzz.ts'
import { killDurability, killPhase } from './kill-durability.ts'
import { Prng, seedFromEnv } from './prng.ts'
import { printRestarts, printTable, restartRows, writeJson } from './report.ts'
import { chatRows, holdRows, httpFuzzRows, killRows, sigintRows, slowRows, tokenRows, wsFuzzRows, type Row } from './report-rows.ts'
import { sigintPhase, sigintShutdown } from './sigint-shutdown.ts'
import { slowConsumers, slowPhase } from './slow-consumers.ts'
import { Supervisor } from './supervisor.ts'
import { wsFuzz, wsFuzzPhase } from './ws-fuzz.ts'

const setting = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback)
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number ≥ 0, got ${process.env[name]}`)
  return value
}
const phases = new Set((process.env.CHAOS_PHASES ?? 'fuzz,tokens,hold,slow,kill,sigint').split(','))
const seed = seedFromEnv()
const rng = new Prng(seed)
const chatPhase = 'chat beside the fuzz'

// Ctrl-C or a failure must not leave a detached emulator behind (emulator-process kills its group on exit).
process.once('SIGINT', () => process.exit(130))
process.once('SIGTERM', () => process.exit(143))

const rows: Row[] = []
const report: Record<string, unknown> = { seed, startedAt: new Date().toISOString(), machine: `${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, Node ${process.version}` }
const step = (text: string) => console.log(`\n[${fixed((performance.now() - started) / 1000, 0)} s] ${text}`)
const started = performance.now()
console.log(`chaos campaign, seed ${seed} (replay with CHAOS_SEED=${seed}); ${report.machine}`)
const dataDir = await mkdtemp(join(os.tmpdir(), 'dynamowave-chaos-'))
let sup: Supervisor | undefined
try {
  step(`starting the emulator as npm run dev does (--data ${dataDir} --web src/web --json-logs --port 0, throttled)`)
  sup = await Supervisor.start({ data: dataDir, web: 'src/web', jsonLogs: true, throttle: true })
  if (phases.has('fuzz')) {
    const chat = new ChatBeside(sup, 'chaos-chat', ['chat-alice', 'chat-bob'])
    await chat.start()
    step(`1. WebSocket fuzz, a chat running beside it (3.)`)
    const ws = await wsFuzz(sup, rng, { connections: setting('CHAOS_FUZZ_CONNECTIONS', 16), frames: setting('CHAOS_FRAMES', 10_000), pingFloods: 3, pingsPerFlood: setting('CHAOS_PINGS', 2500) })
    rows.push(...wsFuzzRows(`1. ${wsFuzzPhase}`, ws, sup.restartsIn(wsFuzzPhase).length))
    step(`2. HTTP fuzz, the chat still beside it`)
    const http = await httpFuzz(sup, rng, setting('CHAOS_HTTP_REQUESTS', 1000))
    rows.push(...httpFuzzRows(`2. ${httpFuzzPhase}`, http, sup.restartsIn(httpFuzzPhase).length))
    sup.enter(chatPhase)
    const chatFigures = await chat.stop()
    rows.push(...chatRows(`3. ${chatPhase}`, 'two users, one send every 150 ms, during 1 and 2', chatFigures))
    report.wsFuzz = { ...ws, samples: ws.outcomes.samples }
    report.httpFuzz = http
    report.chat = chatFigures
  }
  if (phases.has('tokens')) {
    step('4. bad tokens at the handshake')
    const attempts = await badTokens(sup, dataDir)
    rows.push(...tokenRows(`4. ${badTokensPhase}`, attempts))
    report.badTokens = attempts
  }
  if (phases.has('hold')) {
    step('5. holding connections (a fresh emulator process on the same --data, for a clean memory baseline)')
    await sup.replace()
    const hold = await holdConnections(sup, { connections: setting('CHAOS_CONNECTIONS', 5000), holdSeconds: setting('CHAOS_HOLD_SECONDS', 120), users: 50 })
    rows.push(...holdRows(`5. ${holdPhase}`, hold))
    report.hold = hold
  }
  if (phases.has('slow')) {
    step('6. slow consumers (a fresh emulator process)')
    await sup.replace()
    const slow = await slowConsumers(sup, { consumers: setting('CHAOS_SLOW_CONSUMERS', 20), flooders: 10, floodSeconds: setting('CHAOS_FLOOD_SECONDS', 25) })
    rows.push(...slowRows(`6. ${slowPhase}`, slow))
    report.slow = slow
  }
  if (phases.has('kill')) {
    step('7. kill -9 during a stream of acknowledged messages')
    const kill = await killDurability(sup, rng, 6)
    rows.push(...killRows(`7. ${killPhase}`, kill))
    report.kill = kill
  }
  if (phases.has('sigint')) {
    step('8. SIGINT with 100 open sockets')
    const sigint = await sigintShutdown(sup, 100)
    rows.push(...sigintRows(`8. ${sigintPhase}`, sigint))
    report.sigint = sigint
  }
  rows.push(...restartRows(sup, [badTokensPhase, holdPhase, slowPhase, killPhase, sigintPhase, chatPhase].filter((p) => sup!.restartsIn(p).length > 0 || sup!.probeFailures.has(p))))
  report.restarts = sup.restarts
  report.probeFailures = sup.probeFailures
  report.seconds = (performance.now() - started) / 1000
  step('done')
  console.log(`\n${printTable(`Chaos campaign (seed ${seed}, ${fixed((performance.now() - started) / 60000)} min)`, rows)}\n\n${printRestarts(sup.restarts)}`)
  console.log(`\nfull figures: ${await writeJson({ ...report, table: rows })}`)
} finally {
  await sup?.stop().catch(() => undefined)
  await rm(dataDir, { recursive: true, force: true })
}
