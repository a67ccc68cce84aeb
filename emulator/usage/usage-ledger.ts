// The billable units of everything but DynamoDB (which dynalite's thread meters itself,
// dynamodb/dynamo-meter.mjs), counted as each service bills them:
//   - API Gateway: every message in (a client's data frame) and out (route responses, error frames,
//     `@connections` posts) in 32 KB units, and connection minutes, each connection rounded up to
//     a whole minute [INF: AWS says "connection minutes" and bills the minutes a client is connected];
//   - Lambda: one request per invocation Lambda started (throttled ones are not billed), the billed
//     duration (the REPORT line's, 1 ms granularity) × declared memory in GB-seconds;
//   - CloudWatch Logs: what each invocation writes there: Lambda's START, END and REPORT lines and
//     every line the handler writes, with the runtime's prefix;
//   - Cognito: the distinct users given tokens (sign-in, refresh): monthly active users;
//   - data transfer out: the bytes of every message sent to clients.
// `counts()` is a copy: a mark keeps one, and a report is the difference between two.
import type { InvocationLogEntry } from '../lambda/invocation-log.ts'

/** API Gateway meters WebSocket messages in 32 KB increments: a 33 KB message is two. */
export const messageUnitBytes = 32 * 1024

/** `2026-12-02T19:30:35.123Z\t<36-character request id>\tINFO\t`. */
const runtimePrefixBytes = 24 + 1 + 36 + 1 + 4 + 1

export function messageUnits(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / messageUnitBytes))
}

export interface FunctionCounts {
  requests: number
  billedMs: number
  gbSeconds: number
  logBytes: number
}

export interface UsageCounts {
  /** ms since the epoch. */
  at: number
  apigateway: { messagesIn: number; messagesOut: number; unitsIn: number; unitsOut: number; connections: number; connectionMinutes: number }
  lambda: Record<string, FunctionCounts>
  /** Cognito users active (sign-up, sign-in, refresh). */
  activeUsers: string[]
  logBytes: number
  transferOutBytes: number
}

/** Lambda's platform lines for one invocation, with a request id of Lambda's length (a UUID). */
export function platformLineBytes(entry: InvocationLogEntry): number {
  const id = '00000000-0000-0000-0000-000000000000'
  const r = entry.report
  const init = r?.initDurationMs === undefined ? '' : `Init Duration: ${r.initDurationMs.toFixed(2)} ms\t`
  const report = r
    ? `REPORT RequestId: ${id}\tDuration: ${r.durationMs.toFixed(2)} ms\tBilled Duration: ${r.billedDurationMs} ms\tMemory Size: ${r.memorySizeMb} MB\tMax Memory Used: ${r.maxMemoryUsedMb} MB\t${init}\n`
    : `REPORT RequestId: ${id}\tDuration: 0.00 ms\tBilled Duration: 0 ms\tMemory Size: 0 MB\tMax Memory Used: 0 MB\t\n`
  return Buffer.byteLength(`START RequestId: ${id} Version: $LATEST\n`) + Buffer.byteLength(`END RequestId: ${id}\n`) + Buffer.byteLength(report)
}

export class UsageLedger {
  private readonly opened = new Map<string, number>()
  private closedMinutes = 0
  private readonly apigateway = { messagesIn: 0, messagesOut: 0, unitsIn: 0, unitsOut: 0, connections: 0 }
  private readonly lambda = new Map<string, FunctionCounts>()
  private readonly users = new Set<string>()
  private transferOutBytes = 0
  /** Bumped on every change, so a periodic total is printed only when something happened. */
  version = 0

  constructor(private readonly now: () => number = Date.now) {}

  inbound(bytes: number): void {
    this.apigateway.messagesIn++
    this.apigateway.unitsIn += messageUnits(bytes)
    this.version++
  }

  outbound(bytes: number): void {
    this.apigateway.messagesOut++
    this.apigateway.unitsOut += messageUnits(bytes)
    this.transferOutBytes += bytes
    this.version++
  }

  connected(connectionId: string): void {
    this.opened.set(connectionId, this.now())
    this.apigateway.connections++
    this.version++
  }

  disconnected(connectionId: string): void {
    const at = this.opened.get(connectionId)
    if (at === undefined) return
    this.opened.delete(connectionId)
    this.closedMinutes += minutes(this.now() - at)
    this.version++
  }

  invocation(entry: InvocationLogEntry): void {
    // Lambda bills no request it refused to start (TooManyRequestsException).
    if (entry.status === 'throttled') return
    const fn = this.functionCounts(entry.function)
    fn.requests++
    if (entry.report) {
      fn.billedMs += entry.report.billedDurationMs
      fn.gbSeconds += (entry.report.memorySizeMb / 1024) * (entry.report.billedDurationMs / 1000)
    }
    fn.logBytes += platformLineBytes(entry)
    this.version++
  }

  /**
   * Bytes and lines a function's handler wrote to stdout/stderr: CloudWatch Logs ingests each line
   * with the prefix Lambda's Node.js runtime puts on it (text format: `<ISO time>\t<request id>\tINFO\t`).
   */
  handlerOutput(fn: string, bytes: number, lines: number): void {
    this.functionCounts(fn).logBytes += bytes + lines * runtimePrefixBytes
    this.version++
  }

  activeUser(sub: string): void {
    if (this.users.has(sub)) return
    this.users.add(sub)
    this.version++
  }

  counts(): UsageCounts {
    const at = this.now()
    let openMinutes = 0
    for (const since of this.opened.values()) openMinutes += minutes(at - since)
    const lambda = Object.fromEntries([...this.lambda].map(([name, fn]) => [name, { ...fn }]))
    return {
      at,
      apigateway: { ...this.apigateway, connectionMinutes: this.closedMinutes + openMinutes },
      lambda,
      activeUsers: [...this.users],
      logBytes: Object.values(lambda).reduce((sum, fn) => sum + fn.logBytes, 0),
      transferOutBytes: this.transferOutBytes,
    }
  }

  private functionCounts(name: string): FunctionCounts {
    let fn = this.lambda.get(name)
    if (!fn) this.lambda.set(name, (fn = { requests: 0, billedMs: 0, gbSeconds: 0, logBytes: 0 }))
    return fn
  }
}

const minutes = (ms: number) => Math.max(1, Math.ceil(ms / 60_000))

/** What happened between two counts (a mark and now). */
export function countsSince(now: UsageCounts, mark: UsageCounts): UsageCounts {
  const lambda: Record<string, FunctionCounts> = {}
  for (const [name, fn] of Object.entries(now.lambda)) {
    const before = mark.lambda[name] ?? { requests: 0, billedMs: 0, gbSeconds: 0, logBytes: 0 }
    const diff = { requests: fn.requests - before.requests, billedMs: fn.billedMs - before.billedMs, gbSeconds: fn.gbSeconds - before.gbSeconds, logBytes: fn.logBytes - before.logBytes }
    if (diff.requests > 0 || diff.logBytes > 0) lambda[name] = diff
  }
  const seen = new Set(mark.activeUsers)
  const a = now.apigateway
  const b = mark.apigateway
  return {
    at: now.at,
    apigateway: {
      messagesIn: a.messagesIn - b.messagesIn,
      messagesOut: a.messagesOut - b.messagesOut,
      unitsIn: a.unitsIn - b.unitsIn,
      unitsOut: a.unitsOut - b.unitsOut,
      connections: a.connections - b.connections,
      connectionMinutes: a.connectionMinutes - b.connectionMinutes,
    },
    lambda,
    // A user active before the mark is active in the month all the same; since the mark counts the new ones.
    activeUsers: now.activeUsers.filter((sub) => !seen.has(sub)),
    logBytes: now.logBytes - mark.logBytes,
    transferOutBytes: now.transferOutBytes - mark.transferOutBytes,
  }
}
