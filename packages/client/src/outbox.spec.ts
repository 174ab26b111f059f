import type { QueuedEntry } from './log-entry.js';
import { Outbox } from './outbox.js';

const items = (from: number, n: number): QueuedEntry[] =>
  Array.from({ length: n }, (_, i) => ({
    ordinal: from + i,
    entry: { level: 'info', project: 'p', system: 's', module: 'm', action: `a${from + i}` },
  }));

function outboxOf(...sizes: number[]): Outbox {
  const outbox = new Outbox();
  let ordinal = 0;
  for (const n of sizes) {
    outbox.add(items(ordinal, n));
    ordinal += n;
  }
  return outbox;
}

describe(Outbox.name, () => {
  it('numbers batches 1, 2, 3 and counts their entries', () => {
    const outbox = outboxOf(2, 3, 1);

    expect(outbox.unwritten().map((b) => b.seq)).toEqual([1, 2, 3]);
    expect(outbox.entryCount).toBe(6);
    expect(outbox.firstOrdinal).toBe(0);
  });

  it('settles a batch once: a late second reply finds nothing', () => {
    const outbox = outboxOf(2, 3);
    const [first] = outbox.unwritten();

    expect(outbox.settle(first)).toBe(true);
    expect(outbox.settle(first)).toBe(false);
    expect(outbox.entryCount).toBe(3);
    expect(outbox.firstOrdinal).toBe(2);
  });

  it('after a hello, settles the batches up to lastSeq and keeps the rest as numbered', () => {
    const outbox = outboxOf(1, 1, 1, 1);
    outbox.unwritten().forEach((b) => (b.written = true));

    const stored = outbox.resync(2, false);

    expect(stored.map((b) => b.seq)).toEqual([1, 2]);
    expect(outbox.unwritten().map((b) => b.seq)).toEqual([3, 4]);
  });

  it('does not renumber on a hello that knows less than we saw acked', () => {
    const outbox = outboxOf(1, 1, 1);
    outbox.settle(outbox.unwritten()[0]);

    outbox.resync(0, false);

    expect(outbox.unwritten().map((b) => b.seq)).toEqual([2, 3]);
  });

  it('numbers from lastSeq + 1 after a hello when nothing is pending (a restarted producer)', () => {
    const outbox = new Outbox();

    outbox.resync(41, false);

    expect(outbox.add(items(0, 1)).seq).toBe(42);
  });

  it('renumbers from expected on a 409 whose record forgot the stream', () => {
    const outbox = outboxOf(1, 1, 1);
    outbox.settle(outbox.unwritten()[0]);

    const stored = outbox.resync(0, true);

    expect(stored).toEqual([]);
    expect(outbox.unwritten().map((b) => b.seq)).toEqual([1, 2]);
    expect(outbox.add(items(9, 1)).seq).toBe(3);
  });

  it('splits a batch in place, keeping entry order and consecutive seqs', () => {
    const outbox = outboxOf(1, 4, 1);
    const big = outbox.unwritten()[1];

    outbox.split(big);

    const batches = outbox.unwritten();
    expect(batches.map((b) => b.seq)).toEqual([1, 2, 3, 4]);
    expect(batches.map((b) => b.items.map((i) => i.ordinal))).toEqual([[0], [1, 2], [3, 4], [5]]);
    expect(outbox.entryCount).toBe(6);
  });
});
