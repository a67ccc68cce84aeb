// Phase 8: SIGINT (Ctrl-C in `npm run dev`) with open sockets. The emulator must close each socket
// (1001 "Going away", spec §8), run every `$disconnect` (its JSON log shows them) and then exit.
import { performance } from 'node:perf_hooks'
import { LoadClient } from '../bench/load-client.ts'
import { userUrls } from '../bench/bench-users.ts'
import type { ExitStatus } from '../bench/emulator-process.ts'
import type { Supervisor } from './supervisor.ts'
import { Tally } from './tally.ts'

export const sigintPhase = 'SIGINT'

export interface SigintResult {
  readonly sockets: number
  readonly exitSeconds: number
  readonly exit: ExitStatus
  readonly disconnects: number
  readonly closeCodes: Tally
}

export async function sigintShutdown(sup: Supervisor, sockets: number): Promise<SigintResult> {
  sup.enter(sigintPhase)
  const proc = await sup.ready()
  const urls = await userUrls(proc, sockets, 10, 'sigint')
  const closeCodes = new Tally()
  const clients: LoadClient[] = []
  for (let i = 0; i < urls.length; i += 10) clients.push(...(await Promise.all(urls.slice(i, i + 10).map((url) => LoadClient.open(url)))))
  const closed = clients.map((c) => new Promise<void>((resolve) => c.socket.once('close', (code) => resolve(void closeCodes.count('close', String(code))))))
  // Every socket is registered ($connect done) before the signal.
  await new Promise((r) => setTimeout(r, 500))
  const from = proc.log.length
  const started = performance.now()
  const exit = await sup.deliberately(async (p) => {
    p.kill('SIGINT')
    return p.exited
  })
  const exitSeconds = (performance.now() - started) / 1000
  await Promise.race([Promise.all(closed), new Promise((r) => setTimeout(r, 5000))])
  const disconnects = proc.log.slice(from).filter((e) => e.routeKey === '$disconnect').length
  for (const c of clients) c.socket.terminate()
  return { sockets: clients.length, exitSeconds, exit, disconnects, closeCodes }
}
