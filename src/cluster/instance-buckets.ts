import type { BucketBalance } from './cluster.messages.js';

interface Bucket {
  tokens: number;
  at: number;
}

/** Names kept before full (idle) buckets are forgotten, as in RateLimiter. */
const MAX_BUCKETS = 10_000;

/**
 * The primary's side of the per-instance rate limit (see ClusterRateLimitSync): the instance's
 * token bucket of every name, debited by what the workers report they took. It may go into debt:
 * the workers already admitted what they report.
 */
export class InstanceBuckets {
  private readonly perMs: number;
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    entriesPerS: number,
    private readonly burst: number,
  ) {
    this.perMs = entriesPerS / 1000;
  }

  /** Applies one worker's debits: the new balances, for every worker. */
  debit(debits: readonly [string, number][], now = Date.now()): BucketBalance[] {
    const balances: BucketBalance[] = [];
    for (const [name, n] of debits) {
      if (typeof name !== 'string' || typeof n !== 'number' || !Number.isFinite(n)) continue;
      const bucket = this.bucketOf(name, now);
      bucket.tokens -= n;
      balances.push([name, bucket.tokens, now]);
    }
    return balances;
  }

  /** The balances of every name not back to a full bucket: for a worker that just started. */
  snapshot(now = Date.now()): BucketBalance[] {
    const balances: BucketBalance[] = [];
    for (const [name, b] of this.buckets) {
      const tokens = Math.min(this.burst, b.tokens + (now - b.at) * this.perMs);
      if (tokens < this.burst) balances.push([name, tokens, now]);
    }
    return balances;
  }

  private bucketOf(name: string, now: number): Bucket {
    let bucket = this.buckets.get(name);
    if (bucket === undefined) {
      if (this.buckets.size >= MAX_BUCKETS) this.forgetFull(now);
      bucket = { tokens: this.burst, at: now };
      this.buckets.set(name, bucket);
    } else if (now > bucket.at) {
      bucket.tokens = Math.min(this.burst, bucket.tokens + (now - bucket.at) * this.perMs);
      bucket.at = now;
    }
    return bucket;
  }

  private forgetFull(now: number): void {
    for (const [name, b] of this.buckets) {
      if (b.tokens + (now - b.at) * this.perMs >= this.burst) this.buckets.delete(name);
    }
  }
}
