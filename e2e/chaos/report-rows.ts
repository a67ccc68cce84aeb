// Turns each phase's figures into rows of the campaign's one table: phase, what, figures.
import { fixed } from '../bench/stats.ts'
import type { TokenAttempt } from './bad-tokens.ts'
import type { ChatFigures } from './chat-beside.ts'
import type { HoldResult } from './hold-connections.ts'
import type { HttpFuzzResult } from './http-fuzz.ts'
import type { KillResult } from './kill-durability.ts'
import type { SigintResult } from './sigint-shutdown.ts'
import type { SlowResult } from './slow-consumers.ts'
import type { WsFuzzResult } from './ws-fuzz.ts'

export interface Row {
  readonly phase: string
  readonly what: string
  readonly figures: string
}

const n = (x: number) => x.toLocaleString('en-US')
const mb = (x: number | undefined) => (x === undefined ? 'n/a' : `${fixed(x, 0)} MB`)

export function wsFuzzRows(phase: string, r: WsFuzzResult, restarts: number): Row[] {
  const internal = r.outcomes.of('gateway "Internal server error"')
  const timeouts = [...r.outcomes.counts.values()].reduce((sum, o) => sum + [...o].filter(([k]) => k.startsWith('timeout')).reduce((s, [, v]) => s + v, 0), 0)
  const rows: Row[] = [
    {
      phase,
      what: 'frames sent',
      figures: `${n(r.frames)} fuzzed frames + ${n(r.pingFrames)} pings, ${n([...r.classes.values()].reduce((s, c) => s + c.cases, 0))} inputs, ${fixed(r.seconds, 0)} s; ${n(r.reconnects)} reconnects (handshakes: ${r.handshakes.describe('handshake')}); ${n(r.pushesSkipped)} chat events pushed in between`,
    },
    { phase, what: '`Internal server error` answers', figures: `${internal}${internal > 0 ? ' (samples in artifacts/chaos.json)' : ''}` },
    { phase, what: 'timeouts (no answer in 5 s)', figures: `${timeouts}${timeouts > 0 ? ' (the inputs are in artifacts/chaos.json)' : ''}` },
    { phase, what: 'process restarts', figures: `${restarts}${r.culprits.length ? `; culprit${r.culprits.length > 1 ? 's' : ''} found by replaying alone: ${r.culprits.map((c) => c.name).join('; ')}` : ''}${r.unreproduced ? `; ${r.unreproduced} not reproduced alone` : ''}` },
  ]
  const sorted = [...r.classes].sort((a, b) => b[1].frames - a[1].frames)
  for (const [cls, f] of sorted) {
    const expectation = f.expected ? ` — as the spec says: ${f.met}/${f.expected}` : ''
    rows.push({ phase, what: `· ${cls}`, figures: `${n(f.cases)} inputs, ${n(f.frames)} frames: ${r.outcomes.describe(cls)}${expectation}` })
  }
  return rows
}

export function httpFuzzRows(phase: string, r: HttpFuzzResult, restarts: number): Row[] {
  const rows: Row[] = [
    { phase, what: 'requests sent', figures: `${n(r.sent)} raw TCP requests from ${r.templates} templates, ${fixed(r.seconds, 0)} s` },
    { phase, what: 'process restarts', figures: `${restarts}${r.culprits.length ? ` (each input below; its template was not sent again)` : ''}` },
  ]
  for (const cls of r.outcomes.counts.keys()) rows.push({ phase, what: `· ${cls}`, figures: r.outcomes.describe(cls) })
  return rows
}

export function chatRows(phase: string, what: string, c: ChatFigures): Row[] {
  const errors = Object.entries(c.errors).map(([k, v]) => `${k} ×${v}`).join(', ') || 'none'
  return [
    {
      phase,
      what,
      figures: `${n(c.sent)} sent, ${n(c.delivered)} delivered, lost ${c.lost} (acked, never delivered), unanswered ${c.unanswered}, skipped while reconnecting ${c.skipped}; p50 ${fixed(c.p50)} ms, p99 ${fixed(c.p99)} ms, max ${fixed(c.max)} ms; errors: ${errors}; reconnects ${c.reconnects}`,
    },
  ]
}

export function tokenRows(phase: string, attempts: readonly TokenAttempt[]): Row[] {
  return attempts.map((a) => ({ phase, what: a.name, figures: `HTTP ${a.status}; authorizer ${a.authorizer}; \`$connect\` ran: ${a.connectRan ? 'yes' : 'no'}` }))
}

export function holdRows(phase: string, r: HoldResult): Row[] {
  const rss = (s: HoldResult['memory']['min']) => (s ? `${mb(s.rssMb)} (PSS ${mb(s.pssMb)}, ${s.note})` : 'n/a')
  return [
    { phase, what: 'connections', figures: `${n(r.opened)} opened in ${fixed(r.connectSeconds)} s (${fixed(r.connectRate, 0)}/s; retried failures: ${r.failures.describe('connect') || 'none'}); dropped while held: ${r.droppedDuringHold}` },
    { phase, what: 'emulator memory (every 5 s)', figures: `RSS min ${rss(r.memory.min)}, max ${rss(r.memory.max)}; ${r.memory.samples.length} samples` },
    ...chatRows(phase, 'chat between two other users', r.chat),
    { phase, what: '`$disconnect` after the clients dropped', figures: r.disconnectSeconds === undefined ? `only ${n(r.disconnectsSeen)} of ${n(r.opened - r.droppedDuringHold)} within 120 s` : `all ${n(r.disconnectsSeen)} in ${fixed(r.disconnectSeconds)} s` },
  ]
}

export function slowRows(phase: string, r: SlowResult): Row[] {
  const acks = r.sendReplies.describe('sendmessage') || 'none'
  const delta = r.peak && r.baseline ? r.peak.rssMb - r.baseline.rssMb : undefined
  const closedDuring = r.disconnectsDuringFlood.length
  return [
    { phase, what: 'flood', figures: `${n(r.sent)} sends of ${fixed(r.messageBytes / 1024)} KB messages; replies: ${acks}; the emulator's log of them: ${r.sendInvocations.describe('sendmessage')}` },
    { phase, what: 'emulator RSS', figures: `baseline ${mb(r.baseline?.rssMb)}, peak ${mb(r.peak?.rssMb)} (+${mb(delta)}), after ${mb(r.after?.rssMb)}` },
    {
      phase,
      what: 'slow consumers',
      figures: `closed by the emulator while not reading: ${closedDuring}${closedDuring ? ` (from ${fixed(Math.min(...r.disconnectsDuringFlood))} s to ${fixed(Math.max(...r.disconnectsDuringFlood))} s into the flood)` : ''}; once reading again: ${r.endings.describe('slow consumer')}; backlog delivered to them: ${n(r.backlogDelivered)} messages`,
    },
    { phase, what: 'a normal member of the room', figures: `received ${n(r.normalReceived)} messages (acked sends: ${n(r.sendReplies.counts.get('sendmessage')?.get('ack') ?? 0)})` },
  ]
}

export function killRows(phase: string, r: KillResult): Row[] {
  return [
    {
      phase,
      what: 'acknowledged messages',
      figures: `${n(r.acked)} acked of ${n(r.sent)} sent before SIGKILL at ${fixed(r.killedAfterSeconds)} s; survived ${n(r.ackedSurvived)}/${n(r.acked)}${r.ackedLost.length ? ` (lost: ${r.ackedLost.slice(0, 5).join(', ')})` : ''}`,
    },
    { phase, what: 'unacknowledged messages', figures: `${n(r.sent - r.acked)} sent without an ack; ${n(r.unackedLanded)} of them landed anyway; duplicates ${r.duplicates}` },
    { phase, what: 'restart', figures: `${fixed(r.restartSeconds)} s from SIGKILL to ready on the same --data; history read in ${r.historyPages} page(s)` },
  ]
}

export function sigintRows(phase: string, r: SigintResult): Row[] {
  return [
    { phase, what: `SIGINT with ${r.sockets} open sockets`, figures: `exited in ${fixed(r.exitSeconds, 2)} s (code ${r.exit.code ?? r.exit.signal}); \`$disconnect\` logged ${r.disconnects}/${r.sockets}; close codes seen: ${r.closeCodes.describe('close')}` },
  ]
}
