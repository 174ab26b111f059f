import { otherKey } from './stats-key.util.js';
import type { CountVisitor } from './stats-store.interface.js';

export interface BucketLimits {
  /** Distinct keys one minute keeps; the rest are folded into their level's `(other)` key. */
  keysPerMinute: number;
  /** Distinct (minute, key) counters kept in all; beyond it new keys fold into `(other)` too. */
  keys: number;
  /** Minutes kept; adding a newer one beyond this drops the oldest. */
  minutes: number;
}

/**
 * Entry counts per minute (epoch minute number) and tally key, with bounded memory: at most
 * `keys` counters plus 3 `(other)` ones per minute, in at most `minutes` minutes. Minutes are kept in insertion order,
 * which is time order for counts of "now", so the oldest is the first.
 */
export class MinuteBuckets {
  private readonly buckets = new Map<number, Map<string, number>>();
  private droppedCount = 0;
  private counters = 0;

  constructor(private readonly limits: BucketLimits) {}

  /** Entries of the minutes dropped to keep at most `minutes`. */
  get dropped(): number {
    return this.droppedCount;
  }

  get isEmpty(): boolean {
    return this.buckets.size === 0;
  }

  add(minute: number, key: string, count: number): void {
    let bucket = this.buckets.get(minute);
    if (bucket === undefined) {
      bucket = new Map();
      this.buckets.set(minute, bucket);
      this.trim();
    }
    const current = bucket.get(key);
    if (current !== undefined) {
      bucket.set(key, current + count);
      return;
    }
    const fits = bucket.size < this.limits.keysPerMinute && this.counters < this.limits.keys;
    const target = fits ? key : otherKey(key);
    const before = bucket.get(target);
    if (before === undefined) this.counters++;
    bucket.set(target, (before ?? 0) + count);
  }

  /** Adds every count of `other` (a drained batch that could not be flushed). */
  merge(other: MinuteBuckets): void {
    for (const [minute, bucket] of other.buckets) {
      for (const [key, count] of bucket) this.add(minute, key, count);
    }
  }

  /** Takes every count out, leaving this empty. */
  drain(): MinuteBuckets {
    const taken = new MinuteBuckets(this.limits);
    for (const [minute, bucket] of this.buckets) taken.buckets.set(minute, bucket);
    taken.counters = this.counters;
    this.buckets.clear();
    this.counters = 0;
    return taken;
  }

  /** Every (minute, bucket), oldest first; a bucket must not be changed by the caller. */
  minutesList(): [number, ReadonlyMap<string, number>][] {
    return [...this.buckets];
  }

  /** Visits every count of the minutes in [fromMinute, toMinute). */
  visit(fromMinute: number, toMinute: number, visit: CountVisitor): void {
    for (const [minute, bucket] of this.buckets) {
      if (minute < fromMinute || minute >= toMinute) continue;
      for (const [key, count] of bucket) visit(minute, key, count);
    }
  }

  private trim(): void {
    while (this.buckets.size > this.limits.minutes) {
      const oldest = this.buckets.keys().next().value as number;
      const bucket = this.buckets.get(oldest) ?? new Map<string, number>();
      for (const count of bucket.values()) this.droppedCount += count;
      this.counters -= bucket.size;
      this.buckets.delete(oldest);
    }
  }
}
