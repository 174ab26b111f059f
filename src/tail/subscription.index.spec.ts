import fc from 'fast-check';
import { LABEL_FIELDS, type EntryLabels, type LabelField } from './entry-labels.util.js';
import { SubscriptionIndex, matches } from './subscription.index.js';
import { TAIL_FILTER_FIELDS, type TailFilter } from './tail-filter.dto.js';

/** Few values per field, so that filters and entries often meet. */
const value = fc.constantFrom('a', 'b', 'c');
const filterArb: fc.Arbitrary<TailFilter> = fc.record(
  Object.fromEntries(TAIL_FILTER_FIELDS.map((f) => [f, value])) as Record<string, typeof value>,
  { requiredKeys: [] },
);
/** Labels in LABEL_FIELDS order; now and then a field the entry lacks (or holds a non-string). */
const entryArb: fc.Arbitrary<EntryLabels> = fc.tuple(
  ...LABEL_FIELDS.map(() => fc.option(value, { nil: undefined, freq: 8 })),
);

/** The oracle: SPEC §3's AND of exact matches, written out by field name. */
function scanMatches(filter: TailFilter, entry: EntryLabels): boolean {
  return Object.entries(filter).every(
    ([field, wanted]) => entry[LABEL_FIELDS.indexOf(field as LabelField)] === wanted,
  );
}

interface Sub {
  id: number;
  filter: TailFilter;
}

describe(SubscriptionIndex.name, () => {
  it('delivers each entry once to exactly the subscribers whose filter matches (a scan agrees)', () => {
    fc.assert(
      fc.property(
        fc.array(filterArb, { maxLength: 30 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        fc.array(entryArb, { maxLength: 20 }),
        (filters, removals, entries) => {
          // Arrange: some subscribers, some of them removed again.
          const index = new SubscriptionIndex<Sub>();
          const subs = filters.map((filter, id) => ({ id, filter }));
          subs.forEach((s) => index.add(s));
          const removed = new Set(removals.filter((r) => r < subs.length));
          removed.forEach((r) => index.remove(subs[r]));
          const live = subs.filter((s) => !removed.has(s.id));

          for (const entry of entries) {
            // Act
            const matched: Sub[] = [];
            index.collectMatches(entry, matched);
            const got = matched.map((s) => s.id);

            // Assert
            const expected = live.filter((s) => scanMatches(s.filter, entry)).map((s) => s.id);
            expect(got.sort((x, y) => x - y)).toEqual(expected);
          }
          expect(index.size).toBe(live.length);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('matches only exact, AND-combined fields', () => {
    // correlationId, level, project, system, module (LABEL_FIELDS order)
    const entry = ['c', 'error', 'p', 's', 'm'];

    expect(matches({}, entry)).toBe(true);
    expect(matches({ level: 'error', project: 'p' }, entry)).toBe(true);
    expect(matches({ level: 'error', project: 'q' }, entry)).toBe(false);
    expect(matches({ module: 'M' }, entry)).toBe(false);
    expect(matches({ correlationId: 'c', module: 'm' }, entry)).toBe(true);
    expect(matches({ system: 's' }, ['c', 'error', 'p', undefined, 'm'])).toBe(false);
  });
});
