import { TokenBuckets } from '../rate-limit/token-buckets.js';
import type { BucketBalance } from './cluster.messages.js';

/**
 * The primary's side of the per-instance rate limit (see ClusterRateLimitSync): the instance's
 * token bucket of every name, debited by what the workers report they took. It may go into debt:
 * the workers already admitted what they report.
 */
export class InstanceBuckets {
  private readonly buckets: TokenBuckets;

  constructor(entriesPerS: number, burst: number) {
    this.buckets = new TokenBuckets(entriesPerS, burst);
  }

  /** Applies one worker's debits: the new balances, for every worker. */
  debit(debits: readonly [string, number][], now = Date.now()): BucketBalance[] {
    const balances: BucketBalance[] = [];
    for (const [name, n] of debits) {
      if (typeof name !== 'string' || typeof n !== 'number' || !Number.isFinite(n)) continue;
      const bucket = this.buckets.of(name, now);
      bucket.tokens -= n;
      balances.push([name, bucket.tokens, now]);
    }
    return balances;
  }

  /** The balances of every name not back to a full bucket: for a worker that just started. */
  snapshot(now = Date.now()): BucketBalance[] {
    return [...this.buckets.notFull(now)].map(([name, tokens]) => [name, tokens, now]);
  }
}
