import type { BucketBalance } from './cluster.messages.js';

interface Bucket {
  tokens: number;
  at: number;
  /** Workers that took from this name: they get its balances. */
  readonly users: Set<number>;
}

/** Names kept before full (idle) buckets are forgotten, as in RateLimiter. */
const MAX_BUCKETS = 10_000;

/**
 * The primary's side of the per-instance rate limit (see ClusterRateLimitSync): the instance's
 * token bucket of every name, debited by what the workers report they took (it may go into
 * debt: the workers already admitted it).
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

  /** Applies one worker's debits; the balances each user of a debited name should now get. */
  debit(
    worker: number,
    debits: readonly [string, number][],
    now = Date.now(),
  ): Map<number, BucketBalance[]> {
    const out = new Map<number, BucketBalance[]>();
    for (const [name, n] of debits) {
      if (typeof name !== 'string' || !Number.isFinite(n)) continue;
      const bucket = this.bucketOf(name, now);
      bucket.tokens -= n;
      bucket.users.add(worker);
      for (const user of bucket.users) {
        let list = out.get(user);
        if (!list) out.set(user, (list = []));
        list.push([name, bucket.tokens, now]);
      }
    }
    return out;
  }

  /** A worker that exited gets no more balances. */
  forget(worker: number): void {
    for (const bucket of this.buckets.values()) bucket.users.delete(worker);
  }

  private bucketOf(name: string, now: number): Bucket {
    let bucket = this.buckets.get(name);
    if (bucket === undefined) {
      if (this.buckets.size >= MAX_BUCKETS) this.forgetFull(now);
      bucket = { tokens: this.burst, at: now, users: new Set() };
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
