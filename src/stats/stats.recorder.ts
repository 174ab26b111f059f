import { Logger } from '@nestjs/common';
import { StorageService } from '../storage/storage.service.js';
import type { StatsStore } from './stats-store.interface.js';
import { statsKeyOf } from './stats-key.util.js';
import { MINUTE_MS } from './stats.constants.js';

/**
 * Counts stored entries (SPEC §4 "counts of stored entries"): registered with
 * StorageService.onStored, so it runs once per stored group, after its write, never for a
 * rejected or failed one. Per group: one clock read, then per line one positional key read
 * (statsKeyOf) and one Map update, the group's counts summed per key first. Entries count in
 * the minute they were stored (receipt), not their client-given `timestamp`.
 */
export class StatsRecorder {
  private readonly logger = new Logger(StatsRecorder.name);
  private readonly groupCounts = new Map<string, number>();

  constructor(
    storage: StorageService,
    private readonly store: StatsStore,
    private readonly now: () => number = Date.now,
  ) {
    storage.onStored((lines) => this.count(lines));
  }

  /** Tallies one stored group. */
  count(lines: readonly string[]): void {
    const minute = Math.floor(this.now() / MINUTE_MS);
    const counts = this.groupCounts;
    let unreadable = 0;
    for (let i = 0; i < lines.length; i++) {
      const key = statsKeyOf(lines[i]);
      if (key === null) unreadable++;
      else counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    for (const [key, n] of counts) this.store.record(minute, key, n);
    counts.clear();
    if (unreadable > 0) this.logger.error(`stats: ${unreadable} stored lines are not entries`);
  }
}
