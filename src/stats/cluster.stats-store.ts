import type { WorkerChannel } from '../cluster/worker.channel.js';
import { DomainError } from '../common/domain.error.js';
import { InProcessStatsStore } from './in-process.stats-store.js';
import type { CountVisitor, StatsStore } from './stats-store.interface.js';

/**
 * Without Redis under WORKERS > 1: each worker counts what it stored in its own buckets (as one
 * process does); a read asks the primary, which asks every worker for its sums and adds them up.
 * So the instance's answer is exact for the workers running; a worker that crashed takes its
 * counts with it, as a restarted single process does.
 */
export class ClusterStatsStore implements StatsStore {
  private readonly local = new InProcessStatsStore();

  constructor(private readonly channel: WorkerChannel) {
    channel.on('stats.ask', (m) => {
      const counts: [number, string, number][] = [];
      void this.local
        .read(m.from, m.to, (minute, key, n) => counts.push([minute, key, n]))
        .then(() => this.channel.send({ ls: 1, t: 'stats.answer', id: m.id, counts }));
    });
  }

  record(minute: number, key: string, count: number): void {
    this.local.record(minute, key, count);
  }

  async read(fromMinute: number, toMinute: number, visit: CountVisitor): Promise<void> {
    let counts: [number, string, number][];
    try {
      counts = await this.channel.request('stats', { from: fromMinute, to: toMinute });
    } catch (error) {
      throw new DomainError(503, `stats unavailable: ${(error as Error).message}`);
    }
    for (const [minute, key, n] of counts) visit(minute, key, n);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
