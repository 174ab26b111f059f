import { EntryBuffer } from './entry-buffer.js';
import type { QueuedEntry } from './log-entry.js';

const item = (ordinal: number): QueuedEntry => ({
  ordinal,
  entry: { level: 'info', project: 'p', system: 's', module: 'm', action: `a${ordinal}` },
});

describe(EntryBuffer.name, () => {
  it('drop-oldest replaces the oldest unsent entry when full', () => {
    const buffer = new EntryBuffer(2, 'drop-oldest', () => 0);

    const outcomes = [0, 1, 2].map((n) => buffer.push(item(n)));

    expect(outcomes).toEqual(['queued', 'queued', 'dropped-oldest']);
    expect(buffer.take(10).map((i) => i.ordinal)).toEqual([1, 2]);
  });

  it('drop-oldest drops the new entry when everything buffered is in flight', () => {
    const buffer = new EntryBuffer(2, 'drop-oldest', () => 2);

    expect(buffer.push(item(0))).toBe('dropped-new');
    expect(buffer.length).toBe(0);
  });

  it('counts entries in flight against the bound', () => {
    let inFlight = 1;
    const buffer = new EntryBuffer(2, 'block', () => inFlight);

    expect(buffer.push(item(0))).toBe('queued');
    expect(buffer.push(item(1))).toBe('full');
    inFlight = 0;
    expect(buffer.push(item(2))).toBe('queued');
  });

  it('block admits waiting callers in order as room appears', async () => {
    let inFlight = 2;
    const buffer = new EntryBuffer(2, 'block', () => inFlight);
    const admitted: number[] = [];
    for (const n of [0, 1]) {
      expect(buffer.push(item(n))).toBe('full');
      buffer.block(
        item(n),
        () => admitted.push(n),
        () => undefined,
      );
    }
    expect(buffer.firstOrdinal).toBe(0);

    inFlight = 1;
    buffer.admit();
    expect(admitted).toEqual([0]);
    expect(buffer.push(item(9))).toBe('full');
    inFlight = 0;
    buffer.admit();

    expect(admitted).toEqual([0, 1]);
    expect(buffer.take(10).map((i) => i.ordinal)).toEqual([0, 1]);
  });

  it('rejects blocked callers with the reason when the logger fails', () => {
    const buffer = new EntryBuffer(1, 'block', () => 1);
    const reasons: string[] = [];
    buffer.block(
      item(0),
      () => undefined,
      (e) => reasons.push(e.message),
    );

    buffer.failBlocked(new Error('retries exhausted'));

    expect(reasons).toEqual(['retries exhausted']);
  });
});
