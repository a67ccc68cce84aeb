// A seeded pseudo-random generator (mulberry32), so a campaign can be replayed: the same seed
// makes the same inputs in the same order (`CHAOS_SEED`).

export class Prng {
  private state: number

  constructor(readonly seed: number) {
    this.state = seed >>> 0
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0
    let t = this.state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1))
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]
  }

  /** Shuffles `items` in place (Fisher-Yates) and returns them. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(0, i)
      ;[items[i], items[j]] = [items[j], items[i]]
    }
    return items
  }

  bytes(length: number): Buffer {
    const out = Buffer.alloc(length)
    for (let i = 0; i < length; i++) out[i] = Math.floor(this.next() * 256)
    return out
  }

  /** Random text: printable ASCII with some multi-byte characters (valid UTF-8). */
  text(length: number): string {
    const extra = ['é', '€', '中', '😀', '\u0000', '\u202e', '"', '\\', '\n']
    let out = ''
    for (let i = 0; i < length; i++) out += this.next() < 0.1 ? this.pick(extra) : String.fromCharCode(this.int(0x20, 0x7e))
    return out
  }

  /** A new generator whose sequence depends only on this one's seed and `label`. */
  fork(label: string): Prng {
    let h = this.seed >>> 0
    for (const c of label) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0
    return new Prng(h)
  }
}

export function seedFromEnv(): number {
  const given = process.env.CHAOS_SEED
  if (given === undefined || given === '') return Math.floor(Math.random() * 2 ** 31)
  const seed = Number(given)
  if (!Number.isInteger(seed) || seed < 0) throw new Error(`CHAOS_SEED must be a whole number, got ${given}`)
  return seed
}
