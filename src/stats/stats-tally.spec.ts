import type { LogEntryDto } from '../contract/log-entry.dto.js';
import { GroupTally, MAX_REMEMBERED_LABELS, StatsTally } from './stats-tally.js';
import { splitKey } from './stats-key.util.js';

const entry = (level: string, project: string, system: string, module: string) =>
  ({ level, project, system, module, action: 'a' }) as LogEntryDto;

function counts(group: GroupTally): Map<string, number> {
  const out = new Map<string, number>();
  group.forEach((key, n) => out.set(key, (out.get(key) ?? 0) + n));
  return out;
}

describe(StatsTally.name, () => {
  it('counts exactly per label set and level, also past the remembered label sets', () => {
    // Arrange: more distinct label sets than the index remembers, each seen in two groups
    const tally = new StatsTally();
    const n = MAX_REMEMBERED_LABELS + 100;
    const entries = Array.from({ length: n }, (_, i) =>
      entry(i % 3 === 0 ? 'error' : 'info', `p${i % 7}`, `s${i % 11}`, `m${i}`),
    );
    const first = new GroupTally();
    const second = new GroupTally();

    // Act
    tally.add(first, entries);
    tally.add(first, entries.slice(0, 10));
    tally.add(second, entries);

    // Assert
    const one = counts(first);
    expect([...one.values()].reduce((a, b) => a + b, 0)).toBe(n + 10);
    expect(one.get(splitKeyOf(entries[0]))).toBe(2);
    expect(one.get(splitKeyOf(entries[n - 1]))).toBe(1);
    const two = counts(second);
    expect(two.size).toBe(n);
    for (const [key, count] of two) {
      const [level, , , module] = splitKey(key);
      expect(count).toBe(1);
      expect(level).toBe(Number(module.slice(1)) % 3 === 0 ? 'error' : 'info');
    }
  });
});

function splitKeyOf(e: LogEntryDto): string {
  return [e.level, e.project, e.system, e.module].join('\u0000');
}
