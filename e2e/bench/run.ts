// `npm run bench`: load figures for the whole path (gateway, handlers in their sandboxes, dynalite,
// the real SDK posting through @connections). Prints figures; asserts nothing about speed.
// Options: BENCH_SCENARIOS=connect,fanout,steady (default all), BENCH_STEADY_SECONDS=15,
// BENCH_STEADY_RATES=2,0.5 (messages per client per second; one steady run per rate).
import os from 'node:os'
import { performance } from 'node:perf_hooks'
import { startEmulatorProcess } from './emulator-process.ts'
import { LoadClient } from './load-client.ts'
import { userUrls } from './bench-users.ts'
import { fixed, summarize } from './stats.ts'

type Row = [scenario: string, figures: string]
const rows: Row[] = []
const report = (scenario: string, figures: string) => {
  rows.push([scenario, figures])
  console.log(`${scenario}: ${figures}`)
}

async function openAll(urls: readonly string[], parallel: number, latencies?: number[]): Promise<LoadClient[]> {
  const clients: LoadClient[] = []
  let next = 0
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < urls.length) {
        const url = urls[next++]
        const started = performance.now()
        clients.push(await LoadClient.open(url))
        latencies?.push(performance.now() - started)
      }
    }),
  )
  return clients
}

async function connectStorm(): Promise<void> {
  const emu = await startEmulatorProcess()
  try {
    const urls = await userUrls(emu, 1000)
    await (await openAll(urls.slice(0, 10), 10)).reduce((p, c) => p.then(() => c.close()), Promise.resolve())
    const latencies: number[] = []
    const started = performance.now()
    const clients = await openAll(urls, 10, latencies)
    const seconds = (performance.now() - started) / 1000
    const s = summarize(latencies)
    report('connect storm (1,000 connections, 10 at a time)', `${fixed(clients.length / seconds, 0)} connects/s, p50 ${fixed(s.p50)} ms, p99 ${fixed(s.p99)} ms`)
    report('resident memory with 1,000 open connections', `${fixed(await emu.rssMb(), 0)} MB (emulator process)`)
    await Promise.all(clients.map((c) => c.close()))
  } finally {
    await emu.close()
  }
}

async function fanOut(): Promise<void> {
  const emu = await startEmulatorProcess()
  try {
    const clients = await openAll(await userUrls(emu, 100), 10)
    const messages = 300
    const window = 4
    const latencies: number[] = []
    let received = 0
    const allDone = new Promise<void>((resolve) => {
      for (const c of clients) {
        c.onDelivery = (d) => {
          if (d.seq < 0) return
          latencies.push(d.latencyMs)
          if (++received === messages * clients.length) resolve()
        }
      }
    })
    // Warm every sandbox first, so cold starts do not count.
    await clients[0].request(-1)
    const started = performance.now()
    // `window` messages in flight at a time, each from the next member in turn (one person sending
    // 300 messages at once would rightly meet the per-user rate limit).
    let next = 0
    await Promise.all(
      Array.from({ length: window }, async () => {
        while (next < messages) {
          const seq = next++
          await clients[seq % clients.length].request(seq)
        }
      }),
    )
    const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 30_000))
    await Promise.race([allDone, timeout])
    const seconds = (performance.now() - started) / 1000
    const s = summarize(latencies)
    const lost = messages * clients.length - received
    const errors = clients.reduce((n, c) => n + c.errors.length, 0)
    report(
      'fan-out to 100 clients in one room',
      `${fixed(received / seconds, 0)} deliveries/s, p50 ${fixed(s.p50)} ms, p99 ${fixed(s.p99)} ms, lost ${lost} of ${messages * clients.length}, errors ${errors}`,
    )
    await Promise.all(clients.map((c) => c.close()))
  } finally {
    await emu.close()
  }
}

async function steady(rate: number): Promise<void> {
  const emu = await startEmulatorProcess()
  const seconds = Number(process.env.BENCH_STEADY_SECONDS ?? 15)
  try {
    const clients = await openAll(await userUrls(emu, 50), 10)
    await clients[0].request(-1)
    const latencies: number[] = []
    for (const c of clients) {
      c.deliveries.length = 0
      c.onDelivery = (d) => latencies.push(d.latencyMs)
    }
    let seq = 0
    const timers = clients.map((c, i) =>
      setTimeout(() => {
        const tick = () => c.sendBench(seq++)
        tick()
        timers[i] = setInterval(tick, 1000 / rate)
      }, (i * 1000) / rate / clients.length),
    )
    await new Promise((r) => setTimeout(r, seconds * 1000))
    for (const t of timers) clearInterval(t)
    const sent = seq
    // Let the backlog drain: wait until nothing has arrived for 2 s (at most 60 s), so that "lost"
    // counts messages that never arrive, not late ones.
    const drainStarted = performance.now()
    for (let before = -1; ; ) {
      const now = clients.reduce((n, c) => n + c.deliveries.length, 0)
      if (now === before || performance.now() - drainStarted > 60_000) break
      before = now
      await new Promise((r) => setTimeout(r, 2000))
    }
    const expected = sent * clients.length
    const received = clients.reduce((n, c) => n + c.deliveries.filter((d) => d.seq >= 0).length, 0)
    const s = summarize(latencies)
    report(
      `50 clients × ${rate} messages/s for ${seconds} s (${fixed(rate * 50 * 50, 0)} deliveries/s offered)`,
      `${sent} sent, ${received} of ${expected} delivered (lost ${expected - received}), p50 ${fixed(s.p50)} ms, p99 ${fixed(s.p99)} ms, errors ${clients.reduce((n, c) => n + c.errors.length, 0)}`,
    )
    await Promise.all(clients.map((c) => c.close()))
  } finally {
    await emu.close()
  }
}

const steadyRates = (process.env.BENCH_STEADY_RATES ?? '2,0.5').split(',').map(Number)
const scenarios: Record<string, () => Promise<void>> = {
  connect: connectStorm,
  fanout: fanOut,
  steady: async () => {
    for (const rate of steadyRates) await steady(rate)
  },
}
const chosen = (process.env.BENCH_SCENARIOS ?? 'connect,fanout,steady').split(',')
console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${fixed(os.totalmem() / 2 ** 30, 0)} GiB, Node ${process.version}\n`)
for (const name of chosen) {
  const scenario = scenarios[name]
  if (!scenario) throw new Error(`unknown scenario ${name}; choose from ${Object.keys(scenarios).join(', ')}`)
  await scenario()
}
console.log('\n| scenario | result |\n|---|---|')
for (const [scenario, figures] of rows) console.log(`| ${scenario} | ${figures} |`)
