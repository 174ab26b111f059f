import fc from 'fast-check';
import type { EntryGroup } from '../sinks/entry-group.js';
import { decodeRecords, encodeRecords } from './spool-record.codec.js';

const group = (seq: number, lines: string[]): EntryGroup => ({
  writer: 'wAbc_-9z',
  seq,
  day: '2026-01-21',
  lines,
});

/** Lines as JSON.stringify makes them: any string content, never a raw newline. */
const line = fc.string({ unit: 'binary', maxLength: 60 }).map((s) => JSON.stringify({ s }));
/** Producer batches over the first lines, keys with any characters (a session user's name). */
const streamsArb = fc.option(
  fc.array(
    fc.record({
      key: fc.string({ unit: 'binary', maxLength: 20 }),
      epoch: fc.string({ maxLength: 12 }),
      seq: fc.integer({ min: 1, max: 2 ** 40 }),
      from: fc.constant(0),
      count: fc.constant(1),
    }),
    { minLength: 1, maxLength: 2 },
  ),
  { nil: undefined },
);
const groupArb = fc
  .tuple(
    fc.integer({ min: 1, max: 2 ** 40 }),
    fc.array(line, { minLength: 1, maxLength: 8 }),
    streamsArb,
  )
  .map(([seq, lines, streams]) =>
    streams ? { ...group(seq, lines), streams } : group(seq, lines),
  );

describe('spool record codec', () => {
  it('round-trips groups exactly, writer, seq, day and lines', () => {
    // Arrange
    const groups = [group(1, ['{"a":1}', '{"b":"é\\n"}']), group(2, ['{}'])];

    // Act
    const decoded = decodeRecords(encodeRecords(groups));

    // Assert
    expect(decoded.groups).toEqual(groups);
    expect(decoded.validBytes).toBe(encodeRecords(groups).length);
  });

  it('round-trips any groups (property)', () => {
    fc.assert(
      fc.property(fc.array(groupArb, { minLength: 1, maxLength: 5 }), (groups) => {
        expect(decodeRecords(encodeRecords(groups)).groups).toEqual(groups);
      }),
    );
  });

  it('stops at a torn record at any cut, keeping the whole records before it (property)', () => {
    fc.assert(
      fc.property(fc.array(groupArb, { minLength: 2, maxLength: 4 }), fc.nat(), (groups, cut) => {
        // Arrange
        const whole = encodeRecords(groups.slice(0, -1));
        const last = encodeRecords(groups.slice(-1));
        const torn = Buffer.concat([whole, last.subarray(0, cut % last.length)]);

        // Act
        const decoded = decodeRecords(torn);

        // Assert
        expect(decoded.groups).toEqual(groups.slice(0, -1));
        expect(decoded.validBytes).toBe(whole.length);
      }),
    );
  });

  it('stops at a record whose bytes changed (CRC)', () => {
    // Arrange
    const buf = encodeRecords([group(1, ['{"a":1}']), group(2, ['{"b":2}'])]);
    const firstEnd = encodeRecords([group(1, ['{"a":1}'])]).length;
    buf[firstEnd + 12] ^= 0xff;

    // Act
    const decoded = decodeRecords(buf);

    // Assert
    expect(decoded.groups).toEqual([group(1, ['{"a":1}'])]);
  });
});
