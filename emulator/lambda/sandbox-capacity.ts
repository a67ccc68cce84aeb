// The local machine's limit on live sandboxes, shared by every function. Lambda scales out without
// one (up to the account's concurrency); a laptop cannot hold a thousand worker threads, so past this
// many sandboxes a new one waits, bounded in time, for a slot: the longest-idle sandbox of any
// function is ended to make room, or a busy one of the same function finishes. Never silent loss:
// a wait that runs out is answered as the caller's own timeout would be.
import { availableParallelism, totalmem } from 'node:os'
import type { NoticeLogger } from '../notices.ts'

/** What a pool offers when another function needs a slot: its longest-idle, reclaimable sandbox. */
export interface IdleSource {
  /** performance.now() of its longest-idle sandbox that may be ended, or undefined. */
  oldestIdle(): number | undefined
  /** Ends that sandbox; its slot comes back through `SandboxCapacity.give()`. */
  evictOldestIdle(): void
}

interface Waiter {
  readonly owner: IdleSource
  readonly grant: () => void
}

/** The limit being reached is said at most this often (it comes in bursts). */
const noticeEveryMs = 10_000

/**
 * Chosen default (not an AWS figure): 8 sandboxes per core, at least 16 (so the chat's 15 functions
 * each keep a warm one), at most one per 64 MiB of memory (a sandbox costs 10–40 MB).
 */
export function defaultSandboxLimit(): number {
  return Math.max(16, Math.min(availableParallelism() * 8, Math.floor(totalmem() / 2 ** 26)))
}

export class SandboxCapacity {
  private used = 0
  private readonly queue: Waiter[] = []
  private readonly sources = new Set<IdleSource>()
  private noticedAt = Number.NEGATIVE_INFINITY

  constructor(
    readonly limit: number,
    private readonly notice?: NoticeLogger,
  ) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`The sandbox limit must be a whole number ≥ 1; got ${limit}`)
  }

  get live(): number {
    return this.used
  }

  add(source: IdleSource): void {
    this.sources.add(source)
  }

  /** A slot now, if one is free. `force` takes one past the limit (provisioned sandboxes are promised). */
  tryTake(force = false): boolean {
    if (this.used >= this.limit && !force) return false
    this.used++
    return true
  }

  /** A sandbox ended: its slot goes to the first waiter, else back to the pool of free ones. */
  give(): void {
    const waiter = this.queue.shift()
    if (waiter) waiter.grant()
    else this.used--
  }

  /** Queues for a slot; `grant` runs when one is handed over. Returns a function that withdraws the request. */
  wait(owner: IdleSource, name: string, grant: () => void): () => void {
    const waiter = { owner, grant }
    this.queue.push(waiter)
    if (!this.reclaimIdle() && this.queue.includes(waiter) && Date.now() - this.noticedAt >= noticeEveryMs) {
      this.noticedAt = Date.now()
      this.notice?.({ kind: 'sandbox-limit', function: name, limit: this.limit, waiting: this.queue.length })
    }
    return () => {
      const at = this.queue.indexOf(waiter)
      if (at >= 0) this.queue.splice(at, 1)
    }
  }

  /** Whether a function other than `owner` waits for a slot (then an idle sandbox of `owner` should make room). */
  othersWait(owner: IdleSource): boolean {
    return this.queue.some((waiter) => waiter.owner !== owner)
  }

  /** Ends the longest-idle reclaimable sandbox of any function; whether there was one. */
  private reclaimIdle(): boolean {
    let oldest: IdleSource | undefined
    let oldestAt = Number.POSITIVE_INFINITY
    for (const source of this.sources) {
      const at = source.oldestIdle()
      if (at !== undefined && at < oldestAt) {
        oldest = source
        oldestAt = at
      }
    }
    oldest?.evictOldestIdle()
    return oldest !== undefined
  }
}
