// API Gateway's throttling algorithm: a token bucket per route, `burstLimit` tokens deep, refilled
// at `rateLimit` tokens per second; a request takes one token or is throttled (websocket-api-protect
// docs: "a token counts for a request"; the burst is "the maximum bucket size").

export interface ThrottleSettings {
  /** Steady-state requests per second. */
  readonly rateLimit: number
  /** Bucket size: requests allowed at once after a quiet spell. */
  readonly burstLimit: number
}

export class TokenBucket {
  private tokens: number
  private updatedAt: number

  constructor(
    private readonly settings: ThrottleSettings,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = settings.burstLimit
    this.updatedAt = now()
  }

  /** Takes a token if there is one; false means the request is throttled. */
  take(): boolean {
    const now = this.now()
    const refill = ((now - this.updatedAt) / 1000) * this.settings.rateLimit
    this.tokens = Math.min(this.settings.burstLimit, this.tokens + refill)
    this.updatedAt = now
    if (this.tokens < 1) return false
    this.tokens -= 1
    return true
  }
}

/** One bucket per route key, all with the stage's default route settings; no settings, no throttling. */
export class RouteThrottle {
  private readonly buckets = new Map<string, TokenBucket>()

  constructor(
    private readonly settings: ThrottleSettings | undefined,
    private readonly now?: () => number,
  ) {}

  allows(routeKey: string): boolean {
    if (!this.settings) return true
    let bucket = this.buckets.get(routeKey)
    if (!bucket) this.buckets.set(routeKey, (bucket = new TokenBucket(this.settings, this.now)))
    return bucket.take()
  }
}
