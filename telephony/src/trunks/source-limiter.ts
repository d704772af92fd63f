/**
 * How many calls one source address may start (docs/decisions/0020-trunk-guard.md): a token bucket per address. An
 * INVITE outside a dialog takes a token, and so does a REGISTER that fails; a source without a
 * token is answered 503 with Retry-After, and once it has been refused `burst` more times in the
 * same window it is not answered at all (answering a flood only feeds it). Each limited source is
 * logged once per window with what it sent, never per packet.
 *
 * The table is bounded: a bucket that has filled up again is the same as no bucket and goes first;
 * when the table is still full the least recently seen source goes. A scanner sweeping many
 * addresses costs at most `maxSources` entries.
 */

export interface SourceLimiterOptions {
  /** Tokens a source starts with and may save up: calls at once. */
  burst: number;
  /** Tokens added per second; 0: no limit. */
  perSecond: number;
  /** Sources remembered at most. */
  maxSources?: number;
  /** One log line per limited source per window. */
  windowMs?: number;
  now?: () => number;
  /** Told once per window per limited source: how many of its requests were refused and dropped in the window before. */
  onLimited?: (report: LimitReport) => void;
}

export interface LimitReport {
  source: string;
  /** The first refusal of a new window; the counts are those of the window that ended (0 for a source's first). */
  refusedBefore: number;
  droppedBefore: number;
}

export type Verdict = { kind: "pass" } | { kind: "refuse"; retryAfterSeconds: number } | { kind: "drop" };

interface Bucket {
  tokens: number;
  at: number;
  /** Start of the current log window; 0: never limited. */
  windowStart: number;
  refused: number;
  dropped: number;
}

const PASS: Verdict = { kind: "pass" };

export class SourceLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly now: () => number;
  private readonly maxSources: number;
  private readonly windowMs: number;

  constructor(private readonly options: SourceLimiterOptions) {
    this.now = options.now ?? Date.now;
    this.maxSources = options.maxSources ?? 10_000;
    this.windowMs = options.windowMs ?? 60_000;
  }

  get enabled(): boolean {
    return this.options.perSecond > 0;
  }

  /** How many sources are remembered. */
  get size(): number {
    return this.buckets.size;
  }

  /** A request that costs a token (a new call): pass while the source has one. */
  take(source: string): Verdict {
    if (!this.enabled) return PASS;
    const bucket = this.bucket(source);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return PASS;
    }
    return this.limited(source, bucket);
  }

  /** A request that costs a token only if it fails (REGISTER): pass while the source has one left, without taking it. */
  check(source: string): Verdict {
    if (!this.enabled) return PASS;
    const bucket = this.buckets.get(source);
    if (!bucket) return PASS;
    this.refill(bucket);
    return bucket.tokens >= 1 ? PASS : this.limited(source, bucket);
  }

  /** A request that failed (a REGISTER refused): it costs its token now. */
  charge(source: string): void {
    if (!this.enabled) return;
    const bucket = this.bucket(source);
    bucket.tokens = Math.max(0, bucket.tokens - 1);
  }

  private limited(source: string, bucket: Bucket): Verdict {
    const now = bucket.at;
    if (now - bucket.windowStart >= this.windowMs) {
      this.options.onLimited?.({ source, refusedBefore: bucket.refused, droppedBefore: bucket.dropped });
      bucket.windowStart = now;
      bucket.refused = 0;
      bucket.dropped = 0;
    }
    if (bucket.refused >= this.options.burst) {
      bucket.dropped++;
      return { kind: "drop" };
    }
    bucket.refused++;
    return { kind: "refuse", retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.options.perSecond)) };
  }

  private refill(bucket: Bucket): void {
    const now = this.now();
    bucket.tokens = Math.min(this.options.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.options.perSecond);
    bucket.at = now;
  }

  private bucket(source: string): Bucket {
    let bucket = this.buckets.get(source);
    if (bucket) {
      // most recently seen last: the eviction order
      this.buckets.delete(source);
      this.refill(bucket);
    } else {
      if (this.buckets.size >= this.maxSources) this.evict();
      bucket = { tokens: this.options.burst, at: this.now(), windowStart: 0, refused: 0, dropped: 0 };
    }
    this.buckets.set(source, bucket);
    return bucket;
  }

  /** Full buckets first (they are as good as none), then the least recently seen, down to 90 %. */
  private evict(): void {
    const target = Math.floor(this.maxSources * 0.9);
    for (const [source, bucket] of this.buckets) {
      if (this.buckets.size <= target) return;
      this.refill(bucket);
      if (bucket.tokens >= this.options.burst && this.now() - bucket.windowStart >= this.windowMs) this.buckets.delete(source);
    }
    for (const source of this.buckets.keys()) {
      if (this.buckets.size <= target) return;
      this.buckets.delete(source);
    }
  }
}
