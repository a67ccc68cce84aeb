// Counts outcomes per class of input, e.g. `binary frame` → { 'close 1003': 812 }, and keeps a few
// samples of the outcomes worth a closer look.

export class Tally {
  readonly counts = new Map<string, Map<string, number>>()
  readonly samples: Record<string, unknown>[] = []

  constructor(private readonly maxSamples = 20) {}

  count(cls: string, outcome: string, n = 1): void {
    const outcomes = this.counts.get(cls) ?? new Map<string, number>()
    this.counts.set(cls, outcomes)
    outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + n)
  }

  sample(sample: Record<string, unknown>): void {
    if (this.samples.length < this.maxSamples) this.samples.push(sample)
  }

  total(cls?: string): number {
    let n = 0
    for (const [c, outcomes] of this.counts) if (cls === undefined || c === cls) for (const v of outcomes.values()) n += v
    return n
  }

  /** How often `outcome` happened, over every class. */
  of(outcome: string): number {
    let n = 0
    for (const outcomes of this.counts.values()) n += outcomes.get(outcome) ?? 0
    return n
  }

  /** `close 1003 ×812, error BAD_FRAME ×3`, most frequent first. */
  describe(cls: string): string {
    const outcomes = [...(this.counts.get(cls) ?? new Map<string, number>())].sort((a, b) => b[1] - a[1])
    return outcomes.map(([outcome, n]) => `${outcome} ×${n}`).join(', ')
  }

  toJSON(): Record<string, Record<string, number>> {
    return Object.fromEntries([...this.counts].map(([cls, outcomes]) => [cls, Object.fromEntries(outcomes)]))
  }
}
