import { DomainError } from "../errors.ts";

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * A token bucket per key, in memory (per process): `burst` requests at once, then `perSecond`.
 * Full buckets are forgotten, so memory holds only recently busy keys.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly burst: number,
    private readonly perSecond: number,
  ) {}

  /** Takes a token for key at time nowMs, or throws RATE_LIMITED. */
  take(key: string, nowMs: number): void {
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, at: nowMs };
    const refilled = Math.min(this.burst, bucket.tokens + (Math.max(0, nowMs - bucket.at) / 1000) * this.perSecond);
    if (refilled < 1) {
      this.buckets.set(key, { tokens: refilled, at: nowMs });
      throw new DomainError("RATE_LIMITED", "too many requests; wait a moment");
    }
    this.buckets.set(key, { tokens: refilled - 1, at: nowMs });
    if (this.buckets.size > 10_000) this.sweep(nowMs);
  }

  private sweep(nowMs: number): void {
    for (const [key, b] of this.buckets) {
      if (b.tokens + ((nowMs - b.at) / 1000) * this.perSecond >= this.burst) this.buckets.delete(key);
    }
  }
}

/** Session creation: per client address and widget. */
export const sessionLimiter = new RateLimiter(20, 0.5);
/** Messages and uploads: per visitor. */
export const messageLimiter = new RateLimiter(30, 2);
