// The local machine's limit on live sandboxes, shared by every function. Lambda scales out without
// one (up to the account's concurrency); a laptop cannot hold a thousand worker threads, so past this
// many sandboxes a new one waits, bounded in time, for a slot: a busy sandbox of the same function
// takes it next, or the longest-idle sandbox of any function is ended to make room, if it has been
// idle a while (or the waiting function has none at all: it could not be served otherwise). Ending
// sandboxes that were busy a moment ago would only trade one cold start for another. Never silent loss:
// a wait that runs out is answered as the caller's own timeout would be.
import { availableParallelism, totalmem } from 'node:os'
import { performance } from 'node:perf_hooks'
import type { NoticeLogger } from '../notices.ts'

/** What a pool offers when another function needs a slot: its longest-idle, reclaimable sandbox. */
export interface IdleSource {
  /** Its live sandboxes, busy and idle. */
  readonly sandboxCount: number
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
/** Chosen: a sandbox idle this long is not about to be needed again by its own function. */
const reclaimableAfterMs = 1000

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
    if (!this.reclaimIdle(owner.sandboxCount === 0 ? 0 : reclaimableAfterMs) && this.queue.includes(waiter) && Date.now() - this.noticedAt >= noticeEveryMs) {
      this.noticedAt = Date.now()
      this.notice?.({ kind: 'sandbox-limit', function: name, limit: this.limit, waiting: this.queue.length })
    }
    return () => {
      const at = this.queue.indexOf(waiter)
      if (at >= 0) this.queue.splice(at, 1)
    }
  }

  /** Whether another function waits for a slot with no sandbox at all (then an idle one of `owner` makes room). */
  othersStarve(owner: IdleSource): boolean {
    return this.queue.some((waiter) => waiter.owner !== owner && waiter.owner.sandboxCount === 0)
  }

  /** Ends the longest-idle sandbox of any function, if idle at least `minIdleMs`; whether there was one. */
  private reclaimIdle(minIdleMs: number): boolean {
    let oldest: IdleSource | undefined
    let oldestAt = performance.now() - minIdleMs
    for (const source of this.sources) {
      const at = source.oldestIdle()
      if (at !== undefined && at <= oldestAt) {
        oldest = source
        oldestAt = at
      }
    }
    oldest?.evictOldestIdle()
    return oldest !== undefined
  }
}
