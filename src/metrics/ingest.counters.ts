import { Injectable } from '@nestjs/common';
import { addByKeyName } from './key-name-label.util.js';

/** Why entries were not stored: the `reason` label of logger_entries_rejected_total. */
export type RejectReason = 'invalid' | 'unavailable';

/**
 * Plain counters that the ingest path bumps once per store call or request (never per entry,
 * never through a metric's label lookup); MetricsService reads them at scrape time.
 */
@Injectable()
export class IngestCounters {
  /** Entries that reached a checker: valid and invalid ones. */
  received = 0;
  readonly rejected: Record<RejectReason, number> = { invalid: 0, unavailable: 0 };
  /** Entries handed to storage per key name (or session user), the label count bounded. */
  readonly byKeyName = new Map<string, number>();

  /** `total` entries were checked, `rejected` of them failed the contract (or did not parse). */
  checked(total: number, rejected: number): void {
    this.received += total;
    this.rejected.invalid += rejected;
  }

  /** `n` valid entries were not stored: storage refused them (503). */
  unstored(n: number): void {
    this.rejected.unavailable += n;
  }

  /** `n` entries of key `name` go to storage; one map update per store call. */
  storing(name: string, n: number): void {
    addByKeyName(this.byKeyName, name, n);
  }
}
