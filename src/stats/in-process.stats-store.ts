import { MinuteBuckets } from './minute-buckets.js';
import type { CountVisitor, StatsStore } from './stats-store.interface.js';
import { LOCAL_LIMITS } from './stats.constants.js';

/** Stats without Redis: this instance's counts only, in bounded minute buckets (LOCAL_LIMITS). */
export class InProcessStatsStore implements StatsStore {
  private readonly buckets = new MinuteBuckets(LOCAL_LIMITS);

  record(minute: number, key: string, count: number): void {
    this.buckets.add(minute, key, count);
  }

  read(fromMinute: number, toMinute: number, visit: CountVisitor): Promise<void> {
    this.buckets.visit(fromMinute, toMinute, visit);
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
