import { MinuteBuckets } from './minute-buckets.js';
import { OTHER, SEP } from './stats-key.util.js';

const key = (level: string, project: string) => [level, project, 's', 'm'].join(SEP);
const sum = (b: MinuteBuckets, from = 0, to = 1e9) => {
  const out = new Map<string, number>();
  b.visit(from, to, (_m, k, n) => out.set(k, (out.get(k) ?? 0) + n));
  return out;
};

describe(MinuteBuckets.name, () => {
  it('sums counts per key over the minutes in [from, to)', () => {
    // Arrange
    const b = new MinuteBuckets({ keysPerMinute: 10, keys: 100, minutes: 10 });
    b.add(1, key('info', 'a'), 2);
    b.add(2, key('info', 'a'), 3);
    b.add(3, key('error', 'b'), 1);

    // Act / Assert
    expect(sum(b, 1, 3)).toEqual(new Map([[key('info', 'a'), 5]]));
    expect(sum(b, 3, 4)).toEqual(new Map([[key('error', 'b'), 1]]));
  });

  it("folds keys beyond a minute's cap into their level's (other) key, keeping the total", () => {
    const b = new MinuteBuckets({ keysPerMinute: 2, keys: 100, minutes: 10 });
    for (const p of ['a', 'b', 'c', 'd']) b.add(1, key('error', p), 1);
    b.add(1, key('error', 'a'), 1);

    expect(sum(b)).toEqual(
      new Map([
        [key('error', 'a'), 2],
        [key('error', 'b'), 1],
        [['error', OTHER, OTHER, OTHER].join(SEP), 2],
      ]),
    );
  });

  it('folds beyond the total counter cap too', () => {
    const b = new MinuteBuckets({ keysPerMinute: 10, keys: 2, minutes: 10 });
    b.add(1, key('info', 'a'), 1);
    b.add(2, key('info', 'b'), 1);
    b.add(3, key('info', 'c'), 1);
    expect([...sum(b).keys()]).toEqual([
      key('info', 'a'),
      key('info', 'b'),
      ['info', OTHER, OTHER, OTHER].join(SEP),
    ]);
  });

  it('keeps at most `minutes` minutes, dropping the oldest and counting what it drops', () => {
    const b = new MinuteBuckets({ keysPerMinute: 10, keys: 100, minutes: 2 });
    b.add(1, key('info', 'a'), 4);
    b.add(2, key('info', 'a'), 1);
    b.add(3, key('info', 'a'), 1);
    expect(sum(b, 1, 2).size).toBe(0);
    expect(sum(b).get(key('info', 'a'))).toBe(2);
    expect(b.dropped).toBe(4);
  });

  it('drains into a batch that merges back whole', () => {
    const b = new MinuteBuckets({ keysPerMinute: 10, keys: 100, minutes: 10 });
    b.add(1, key('info', 'a'), 4);
    const batch = b.drain();
    expect(b.isEmpty).toBe(true);
    b.add(1, key('info', 'a'), 1);
    batch.merge(b);
    expect(sum(batch).get(key('info', 'a'))).toBe(5);
  });
});
