import type { LogEntryDto } from '../contract/log-entry.dto.js';
import type { StatsStore } from './stats-store.interface.js';
import { GroupTally, StatsTally } from './stats-tally.js';
import { MINUTE_MS } from './stats.constants.js';

const noop = (): void => undefined;

/**
 * Counts stored entries (SPEC §4 "counts of stored entries"). IngestService hands it every store
 * call's checked entries with the promise StorageService returned for them: the entries are
 * tallied at once (so nothing holds them across the write) and the tally reaches the store only
 * when that promise resolves, never for a failed write. Entries count in the minute their group
 * was stored (receipt), not by their client-given `timestamp`.
 */
export class StatsRecorder {
  private readonly tally = new StatsTally();
  private open: { stored: Promise<void>; group: GroupTally } | undefined;

  constructor(
    private readonly store: StatsStore,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Counts `entries` once `stored` resolves. Invariant: StorageService gives every call of one
   * group the same promise, and a group's calls are consecutive, so one open tally per group is
   * kept and committed once: one promise callback per group, not per call.
   */
  count(entries: readonly LogEntryDto[], stored: Promise<void>): void {
    let open = this.open;
    if (open === undefined || open.stored !== stored) {
      const group = new GroupTally();
      open = this.open = { stored, group };
      stored.then(() => this.commit(group), noop);
    }
    this.tally.add(open.group, entries);
  }

  private commit(group: GroupTally): void {
    if (this.open?.group === group) this.open = undefined;
    const minute = Math.floor(this.now() / MINUTE_MS);
    group.forEach((key, n) => this.store.record(minute, key, n));
  }
}
