import type { BucketBalance } from '../cluster/cluster.messages.js';
import type { WorkerChannel } from '../cluster/worker.channel.js';
import type { RateLimiter, TakeListener } from './rate-limiter.service.js';

interface Debit {
  readonly seq: number;
  readonly taken: Map<string, number>;
}

/**
 * Keeps a worker's rate-limit buckets in step with the instance's (SPEC §3: per instance, not per
 * worker) without an IPC message per frame. Decisions stay local and synchronous; what was taken
 * is reported to the primary once per event-loop turn (one `debit`), and the primary, which keeps
 * the instance's buckets, sends the new balance of each name to every worker using it. A worker's
 * bucket is that balance less its own takes the primary has not seen yet. So the instance admits
 * at most what the limit allows plus what other workers took within one IPC hop (~1 ms).
 */
export class ClusterRateLimitSync implements TakeListener {
  private unreported = new Map<string, number>();
  private pending: Debit[] = [];
  private seq = 0;
  private scheduled = false;

  constructor(
    private readonly limiter: RateLimiter,
    private readonly channel: WorkerChannel,
  ) {
    limiter.onTake(this);
    channel.on('balance', (m) => this.adopt(m.seen, m.balances));
  }

  taken(name: string, n: number): void {
    this.unreported.set(name, (this.unreported.get(name) ?? 0) + n);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.report());
    }
  }

  private report(): void {
    this.scheduled = false;
    const debit = { seq: ++this.seq, taken: this.unreported };
    this.unreported = new Map();
    this.pending.push(debit);
    this.channel.send({ ls: 1, t: 'debit', seq: debit.seq, debits: [...debit.taken] });
  }

  private adopt(seen: number, balances: readonly BucketBalance[]): void {
    while (this.pending.length > 0 && this.pending[0].seq <= seen) this.pending.shift();
    for (const [name, tokens, at] of balances) {
      let mine = this.unreported.get(name) ?? 0;
      for (const debit of this.pending) mine += debit.taken.get(name) ?? 0;
      this.limiter.adopt(name, tokens - mine, at);
    }
  }
}
