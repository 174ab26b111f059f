/** One name's tokens, as of `at` (ms). */
export interface Bucket {
  tokens: number;
  at: number;
}

/** Buckets kept before full (idle) ones are forgotten: bounds memory whatever the session users. */
const MAX_BUCKETS = 10_000;

/**
 * Token buckets by name, filled at `entriesPerS` up to `burst`, with bounded memory: a bucket that
 * has refilled to the burst is the same as none, so those are forgotten when the map is full.
 * Shared by RateLimiter (a process's decisions) and InstanceBuckets (the cluster primary's).
 */
export class TokenBuckets {
  readonly perMs: number;
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    entriesPerS: number,
    readonly burst: number,
  ) {
    this.perMs = entriesPerS / 1000;
  }

  /** `name`'s bucket, refilled up to `now`. */
  of(name: string, now: number): Bucket {
    let bucket = this.buckets.get(name);
    if (bucket === undefined) {
      if (this.buckets.size >= MAX_BUCKETS) this.forgetFull(now);
      bucket = { tokens: this.burst, at: now };
      this.buckets.set(name, bucket);
    } else if (now > bucket.at) {
      bucket.tokens = this.tokensAt(bucket, now);
      bucket.at = now;
    }
    return bucket;
  }

  /** [name, tokens] of every bucket not back to full at `now`. */
  *notFull(now: number): Generator<[string, number]> {
    for (const [name, b] of this.buckets) {
      const tokens = this.tokensAt(b, now);
      if (tokens < this.burst) yield [name, tokens];
    }
  }

  private tokensAt(bucket: Bucket, now: number): number {
    return Math.min(this.burst, bucket.tokens + (now - bucket.at) * this.perMs);
  }

  private forgetFull(now: number): void {
    for (const [name, b] of this.buckets) {
      if (this.tokensAt(b, now) >= this.burst) this.buckets.delete(name);
    }
  }
}
