import type { EntryLabels } from './entry-labels.util.js';
import type { TailFilter, TailFilterField } from './tail-filter.dto.js';

/** What an index holds: anything with a filter. */
export interface Filtered {
  readonly filter: TailFilter;
}

/** Most selective first: a subscriber is filed under the first of these its filter names. */
const INDEXED: readonly TailFilterField[] = [
  'correlationId',
  'module',
  'system',
  'project',
  'level',
];

/**
 * Subscribers by filter, so that matching an entry costs a few map lookups plus the subscribers
 * that share one of its field values, not a scan of every subscriber. Each subscriber is filed
 * once, under the most selective field its filter names (or with the unfiltered ones), and its
 * whole filter is checked only when that field matches; so no entry reaches a subscriber twice.
 */
export class SubscriptionIndex<S extends Filtered> {
  private readonly byField = INDEXED.map(() => new Map<string, Set<S>>());
  private readonly unfiltered = new Set<S>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  add(subscriber: S): void {
    const bucket = this.bucketOf(subscriber, true)!;
    if (bucket.has(subscriber)) return;
    bucket.add(subscriber);
    this.count++;
  }

  remove(subscriber: S): void {
    const i = fieldIndex(subscriber.filter);
    const bucket = this.bucketOf(subscriber, false);
    if (!bucket?.delete(subscriber)) return;
    this.count--;
    if (i >= 0 && bucket.size === 0) this.byField[i].delete(subscriber.filter[INDEXED[i]]!);
  }

  /** Calls `deliver` once for each subscriber whose filter `entry` matches. */
  forEachMatch(entry: EntryLabels, deliver: (subscriber: S) => void): void {
    for (const s of this.unfiltered) deliver(s);
    for (let i = 0; i < INDEXED.length; i++) {
      const byValue = this.byField[i];
      if (byValue.size === 0) continue; // no lookup (and no hashing of the value) for nobody
      const value = entry[INDEXED[i]];
      if (typeof value !== 'string') continue;
      const bucket = byValue.get(value);
      if (bucket === undefined) continue;
      for (const s of bucket) if (matches(s.filter, entry)) deliver(s);
    }
  }

  private bucketOf(subscriber: S, create: boolean): Set<S> | undefined {
    const i = fieldIndex(subscriber.filter);
    if (i < 0) return this.unfiltered;
    const key = subscriber.filter[INDEXED[i]]!;
    let bucket = this.byField[i].get(key);
    if (bucket === undefined && create) this.byField[i].set(key, (bucket = new Set()));
    return bucket;
  }
}

function fieldIndex(filter: TailFilter): number {
  return INDEXED.findIndex((field) => filter[field] !== undefined);
}

/** Every field the filter names equals the entry's (SPEC §3: AND of exact matches). */
export function matches(filter: TailFilter, entry: EntryLabels): boolean {
  for (const field of INDEXED) {
    const wanted = filter[field];
    if (wanted !== undefined && entry[field] !== wanted) return false;
  }
  return true;
}
