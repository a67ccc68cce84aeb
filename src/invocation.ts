// What one invocation knows of its own run: how long Lambda still gives it (`context.
// getRemainingTimeInMillis()`). Work that can be cut short (a fan-out) stops in time to record
// how far it got instead of being killed half way.
export interface Invocation {
  remainingMs(): number
}

/** No deadline: for work outside a Lambda invocation (tests, $disconnect's best effort). */
export const unbounded: Invocation = { remainingMs: () => Number.POSITIVE_INFINITY }
