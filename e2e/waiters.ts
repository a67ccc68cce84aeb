// Waiting in tests without sleeping: a test waits until `check` finds what it wants, re-checked
// whenever the thing it watches calls `wake()`, and fails with a clear message after a timeout.

export class Waiters {
  private readonly waiting = new Set<() => void>()

  /** Call whenever what the checks look at has changed. */
  wake(): void {
    for (const wake of [...this.waiting]) wake()
  }

  /** Resolves with the first value `check` finds; rejects after `timeoutMs` with `describe()`. */
  until<T>(check: () => { value: T } | undefined, timeoutMs: number, describe: () => string): Promise<T> {
    const first = check()
    if (first) return Promise.resolve(first.value)
    return new Promise((resolve, reject) => {
      const wake = () => {
        const hit = check()
        if (!hit) return
        this.waiting.delete(wake)
        clearTimeout(timer)
        resolve(hit.value)
      }
      const timer = setTimeout(() => {
        this.waiting.delete(wake)
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${describe()}`))
      }, timeoutMs)
      this.waiting.add(wake)
    })
  }
}

/** `promise`, or a failure naming `what` after `ms`. */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms)))])
  } finally {
    clearTimeout(timer)
  }
}
