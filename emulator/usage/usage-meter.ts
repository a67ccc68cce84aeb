// One emulator's bill: the ledger (gateway, Lambda, Cognito), dynalite's meter, the rate card and
// the marks a caller makes, priced into a report on request. A mark is the counts at a moment; a
// report since it is the difference. Peaks per second are since start (a mark does not narrow them).
import type { DynamoUsage, LocalDynamo } from '../dynamodb/local-dynamo.ts'
import type { RateCard } from './rate-card.ts'
import { countsSince, UsageLedger, type UsageCounts } from './usage-ledger.ts'
import { dynamoSince, priceUsage, type Capacity, type UsageReport } from './usage-report.ts'

export interface UsageMeterSettings {
  readonly card: RateCard
  readonly freeTier: boolean
  readonly memoryMb: Readonly<Record<string, number>>
  readonly provisionedConcurrency: ReadonlyMap<string, number>
  readonly provisionedCapacity: Readonly<Record<string, Capacity>>
}

export class UnknownMarkError extends Error {
  readonly code = 'UNKNOWN_MARK'
}

interface Mark {
  readonly counts: UsageCounts
  readonly dynamo: DynamoUsage
}

/** Marks kept; a newer one pushes out the oldest (anyone who reaches the port can make marks). */
export const maxMarks = 100

export class UsageMeter {
  readonly ledger = new UsageLedger()
  private readonly startedAt = Date.now()
  private readonly marks = new Map<string, Mark>()
  private marksMade = 0

  constructor(
    private readonly dynamo: Pick<LocalDynamo, 'meter'>,
    private readonly settings: UsageMeterSettings,
  ) {}

  /** Remembers now; `report(id)` then covers what happened after it. */
  async mark(): Promise<string> {
    const { usage } = await this.dynamo.meter()
    const id = `m${++this.marksMade}`
    this.marks.set(id, { counts: this.ledger.counts(), dynamo: usage })
    if (this.marks.size > maxMarks) this.marks.delete(this.marks.keys().next().value!)
    return id
  }

  hasMark(id: string): boolean {
    return this.marks.has(id)
  }

  async report(since?: string): Promise<UsageReport> {
    const mark = since === undefined ? undefined : this.marks.get(since)
    if (since !== undefined && !mark) {
      const ids = [...this.marks.keys()]
      const known = ids.length === 0 ? 'none yet' : ids.length === 1 ? ids[0] : `${ids[0]} to ${ids.at(-1)}`
      throw new UnknownMarkError(`No usage mark ${since} (marks: ${known}; the ${maxMarks} latest are kept)`)
    }
    const { usage, peaks } = await this.dynamo.meter()
    const now = this.ledger.counts()
    return priceUsage({
      ...this.settings,
      since: since ?? 'start',
      from: mark?.counts.at ?? this.startedAt,
      counts: mark ? countsSince(now, mark.counts) : now,
      dynamo: mark ? dynamoSince(usage, mark.dynamo) : usage,
      peaks,
    })
  }
}
