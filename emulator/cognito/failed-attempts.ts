// Failed attempts per user, and the temporary lockout they earn, in memory on the local pool's handle
// (no module state). Keys are existing users only: a flood of unknown names costs no memory, so the
// map is bounded by the number of users, and an entry goes when the user succeeds or stays quiet.
// The figures are a policy: sign-in's are Cognito's (initiate-auth.ts), confirmation codes' chosen
// (confirmation-code.ts). The clock is injected so tests need no sleeping.

export interface LockoutPolicy {
  /** Failures allowed before the first lockout: the lockout starts with this many. */
  readonly freeFailures: number
  /** How long the `failures`-th failure (failures >= freeFailures) locks the user out. */
  lockoutMs(failures: number): number
  /** No attempt for this long resets the count. */
  readonly quietResetMs: number
}

interface Attempts {
  failures: number
  lockedUntil: number
  lastAttemptAt: number
}

export class FailedAttempts {
  private readonly byKey = new Map<string, Attempts>()

  constructor(
    private readonly policy: LockoutPolicy,
    private readonly now: () => number,
  ) {}

  /**
   * Starts an attempt for `key`: false while it is locked out (refuse without checking; such an
   * attempt does not lengthen the lockout, but it is activity, so the quiet reset waits). Otherwise
   * the attempt counts as failed from now on, until `succeeded` says otherwise: parallel guesses
   * cannot slip past the limit while a slow password hash runs.
   */
  begin(key: string): boolean {
    const now = this.now()
    let attempts = this.byKey.get(key)
    if (attempts && now - attempts.lastAttemptAt >= this.policy.quietResetMs) attempts = undefined
    if (attempts && now < attempts.lockedUntil) {
      attempts.lastAttemptAt = now
      return false
    }
    const failures = (attempts?.failures ?? 0) + 1
    const lockedUntil = failures >= this.policy.freeFailures ? now + this.policy.lockoutMs(failures) : 0
    this.byKey.set(key, { failures, lockedUntil, lastAttemptAt: now })
    return true
  }

  /** The attempt was right: the count starts again from zero. */
  succeeded(key: string): void {
    this.byKey.delete(key)
  }

  /** How many users have a count (tests: unknown names must leave none). */
  get size(): number {
    return this.byKey.size
  }
}
