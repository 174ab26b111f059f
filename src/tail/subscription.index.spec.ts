import fc from 'fast-check';
import { SubscriptionIndex, matches } from './subscription.index.js';
import { TAIL_FILTER_FIELDS, type TailFilter } from './tail-filter.dto.js';

/** Few values per field, so that filters and entries often meet. */
const value = fc.constantFrom('a', 'b', 'c');
const filterArb: fc.Arbitrary<TailFilter> = fc.record(
  Object.fromEntries(TAIL_FILTER_FIELDS.map((f) => [f, value])) as Record<string, typeof value>,
  { requiredKeys: [] },
);
const entryArb = fc.record(
  Object.fromEntries(TAIL_FILTER_FIELDS.map((f) => [f, value])) as Record<string, typeof value>,
);

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
            const got: number[] = [];
            index.forEachMatch(entry, (s) => got.push(s.id));

            // Assert
            const expected = live.filter((s) => matches(s.filter, entry)).map((s) => s.id);
            expect(got.sort((x, y) => x - y)).toEqual(expected);
          }
          expect(index.size).toBe(live.length);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('matches only exact, AND-combined fields', () => {
    const entry = { level: 'error', project: 'p', system: 's', module: 'm', correlationId: 'c' };

    expect(matches({}, entry)).toBe(true);
    expect(matches({ level: 'error', project: 'p' }, entry)).toBe(true);
    expect(matches({ level: 'error', project: 'q' }, entry)).toBe(false);
    expect(matches({ module: 'M' }, entry)).toBe(false);
  });
});
