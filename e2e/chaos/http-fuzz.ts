// Phase 2: malformed HTTP over the emulator's whole HTTP surface, one request at a time on its own
// TCP socket, so a request that takes the process down is known exactly: it is recorded with its
// bytes, and its template is not sent again (each crash costs a restart).
import { performance } from 'node:perf_hooks'
import { idTokenFor } from '../users.ts'
import { connectionsCases, cognitoCases, jwksCases, stageCases } from './http-api-cases.ts'
import type { HttpCase } from './http-case.ts'
import { absoluteFormCases, headerCases, requestLineCases, slowCases, staticCases, upgradeCases } from './http-wire-cases.ts'
import type { Prng } from './prng.ts'
import { sendRaw } from './raw-http.ts'
import { suspectOf, type SuspectInput, type Supervisor } from './supervisor.ts'
import { Tally } from './tally.ts'

export const httpFuzzPhase = 'HTTP fuzz'

export interface HttpFuzzResult {
  readonly outcomes: Tally
  /** The same per template (`class: name`), for the JSON report. */
  readonly byTemplate: Tally
  readonly sent: number
  readonly templates: number
  readonly culprits: SuspectInput[]
  readonly seconds: number
}

export function httpTemplates(): HttpCase[] {
  return [...stageCases(), ...connectionsCases(), ...cognitoCases(), ...jwksCases(), ...staticCases(), ...requestLineCases(), ...absoluteFormCases(), ...headerCases(), ...upgradeCases(), ...slowCases()]
}

export async function httpFuzz(sup: Supervisor, rng: Prng, requests: number): Promise<HttpFuzzResult> {
  const caseRng = rng.fork('http')
  const templates = httpTemplates()
  const order = caseRng.shuffle([...templates])
  const outcomes = new Tally()
  const byTemplate = new Tally()
  const count = (c: HttpCase, outcome: string) => {
    outcomes.count(c.class, outcome)
    byTemplate.count(`${c.class}: ${c.name}`, outcome)
  }
  const quarantined = new Set<string>()
  const culprits: SuspectInput[] = []
  let current: { c: HttpCase; bytes: Buffer } | undefined
  let previous: typeof current
  sup.enter(httpFuzzPhase, () => (current ? [suspectOf(current.c.class, current.c.name, current.bytes)] : []))
  const started = performance.now()
  let sent = 0
  const background = new Set<Promise<unknown>>()
  const progress = setInterval(() => console.log(`  … ${sent} of ${requests} requests, ${culprits.length} restarts`), 15_000)
  for (let i = 0; sent < requests; i++) {
    const c = i < order.length ? order[i] : caseRng.pick(templates)
    const key = `${c.class}|${c.name}`
    if (quarantined.has(key)) {
      count(c, 'not sent: took the emulator down before')
      continue
    }
    const proc = await sup.ready()
    const ctx = { port: proc.port, userPoolId: proc.cognito.userPoolId, clientId: proc.cognito.clientId, token: await idTokenFor(proc, 'http-fuzz'), rng: caseRng }
    const request = c.build(ctx)
    previous = current
    current = { c, bytes: Buffer.concat(request.chunks) }
    const logFrom = proc.log.length
    const allowance = (request.gapMs ?? 0) * request.chunks.length + (request.abortAfterMs ?? 0)
    const answer = sendRaw(proc.port, request, 5000 + allowance)
    sent++
    // Unanswered a second after its last byte, with the process still up: the server is waiting for
    // more (a half request). Its outcome is counted when it comes; the next request goes meanwhile.
    const response = await Promise.race([answer, new Promise<undefined>((r) => setTimeout(r, allowance + 1000))])
    if (!response) {
      const late: Promise<void> = answer.then((r) => {
        count(c, r.outcome)
        background.delete(late)
      })
      background.add(late)
      continue
    }
    let outcome = response.outcome
    // API Gateway accepts the socket only after $connect succeeds (spec §1.3): a refused handshake
    // after $connect ran leaves a connection that never gets its $disconnect.
    // (Only upgrades are checked: the chat beside reconnects now and then, and logs its own $connect.)
    if (c.class.startsWith('upgrade') && response.status !== 101 && proc.log.slice(logFrom).some((e) => e.function === 'connect')) outcome += ' after `$connect` ran'
    if (response.status === undefined && (await sup.exitsWithin(500))) {
      // Refused: it was already down, so the request before this one did it.
      const culprit = outcome === 'socket error ECONNREFUSED' && previous ? previous : current
      outcome = culprit === current ? 'emulator went down' : 'emulator already down (the request before took it down)'
      quarantined.add(`${culprit.c.class}|${culprit.c.name}`)
      culprits.push(suspectOf(culprit.c.class, culprit.c.name, culprit.bytes))
      await sup.ready()
      // Let the chat beside reconnect before the next request, so its $connect is not taken for ours.
      await new Promise((r) => setTimeout(r, 1000))
    }
    count(c, outcome)
  }
  await Promise.all(background)
  clearInterval(progress)
  current = previous = undefined
  return { outcomes, byTemplate, sent, templates: templates.length, culprits, seconds: (performance.now() - started) / 1000 }
}
