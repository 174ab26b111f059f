import { groupOfLines as group } from '../../../test/support/groups.js';
import { jest } from '@jest/globals';
import { mkdtempSync, readdirSync, rmSync, truncateSync, statSync } from 'node:fs';
import { appendFile, open as openFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EntryGroup } from '../sinks/entry-group.js';
import { Spool } from './spool.js';

/** Drains the spool the way a replay does: next, then commit. */
async function drain(spool: Spool, maxEntries = 1000): Promise<EntryGroup[]> {
  const out: EntryGroup[] = [];
  for (let batch = await spool.next(maxEntries); batch; batch = await spool.next(maxEntries)) {
    out.push(...batch.groups);
    await spool.commit(batch);
  }
  return out;
}

describe(Spool.name, () => {
  let dir: string;

  beforeEach(() => {
    dir = join(mkdtempSync(join(tmpdir(), 'spool-')), 'redis');
  });

  /** Every spool a test opened: closed after it (a test's "crash" leaves its spool open till then). */
  const opened: Spool[] = [];
  afterEach(async () => {
    for (const spool of opened.splice(0)) await spool.close();
    rmSync(join(dir, '..'), { recursive: true, force: true });
  });

  const open = async (maxBytes = 1 << 20, fsync: 'never' | 'always' = 'never') => {
    const spool = await Spool.open(dir, { maxBytes, fsync });
    opened.push(spool);
    return spool;
  };

  it('starts empty, gives back appended groups in order and deletes them once committed', async () => {
    // Arrange
    const spool = await open();
    const groups = [group('{"a":1}'), group('{"b":2}', '{"c":3}')];

    // Act
    expect(spool.empty).toBe(true);
    for (const g of groups) await spool.append([g]);
    const notEmpty = spool.empty;
    const drained = await drain(spool);

    // Assert
    expect(notEmpty).toBe(false);
    expect(drained).toEqual(groups);
    expect(spool.empty).toBe(true);
    expect(spool.bytes).toBe(0);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('hands out about maxEntries per batch and the same batch again until committed', async () => {
    // Arrange
    const spool = await open();
    for (let i = 0; i < 5; i++) await spool.append([group('{}', '{}')]);

    // Act
    const first = await spool.next(3);
    const again = await spool.next(3);
    await spool.commit(first!);
    const second = await spool.next(100);

    // Assert
    expect(first!.groups).toHaveLength(2); // 2 + 2 entries: the batch stops once it reaches 3
    expect(again).toEqual(first);
    expect(second!.groups).toHaveLength(3);
    expect(second!.entries).toBe(6);
  });

  it('takes appends while a replay reads: those land in a new segment, read after', async () => {
    // Arrange
    const spool = await open();
    const early = group('{"early":1}');
    const late = group('{"late":1}');
    await spool.append([early]);

    // Act
    const batch = await spool.next(10); // seals the segment being appended
    await spool.append([late]);
    await spool.commit(batch!);
    const rest = await drain(spool);

    // Assert
    expect(batch!.groups).toEqual([early]);
    expect(rest).toEqual([late]);
  });

  it('finds what a previous process left, oldest first, and appends after it', async () => {
    // Arrange
    const before = await open();
    const left = [group('{"a":1}'), group('{"b":1}')];
    for (const g of left) await before.append([g]);
    // (no close: a crash)

    // Act
    const after = await open();
    const added = group('{"c":1}');
    await after.append([added]);

    // Assert
    expect(after.empty).toBe(false);
    expect(await drain(after)).toEqual([...left, added]);
  });

  it('ignores a torn record at the end of a segment (crash mid-append), nothing after it lost', async () => {
    // Arrange
    const before = await open();
    const whole = group('{"a":1}');
    await before.append([whole]);
    await before.close();
    const [segment] = readdirSync(dir);
    await appendFile(join(dir, segment), Buffer.from([0, 0, 0, 99, 1, 2, 3]));

    // Act
    const after = await open();
    const drained = await drain(after);

    // Assert
    expect(drained).toEqual([whole]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('drops a segment that holds only a torn record', async () => {
    // Arrange
    const before = await open();
    await before.append([group('{"a":1}')]);
    await before.close();
    const [segment] = readdirSync(dir);
    truncateSync(join(dir, segment), statSync(join(dir, segment)).size - 2);

    // Act
    const after = await open();

    // Assert
    expect(await drain(after)).toEqual([]);
    expect(after.empty).toBe(true);
  });

  it('refuses an append past maxBytes, reports it in check(), and recovers once drained', async () => {
    // Arrange
    const spool = await open(4096);
    const big = group('x'.repeat(3000));
    await spool.append([big]);

    // Act
    const refused = await spool.append([group('y'.repeat(3000))]).catch((e: Error) => e);
    const checkFull = (() => {
      try {
        spool.check();
        return undefined;
      } catch (error) {
        return error as Error;
      }
    })();
    await drain(spool);

    // Assert
    expect(refused).toBeInstanceOf(Error);
    expect((refused as Error).message).toMatch(/full/);
    expect(checkFull?.message).toMatch(/full/);
    expect(() => spool.check()).not.toThrow();
    await expect(spool.append([group('{}')])).resolves.toBeUndefined();
  });

  it('serializes appends made at once; one refused does not fail the next', async () => {
    // Arrange
    const spool = await open(4096);
    const small = group('{"ok":1}');

    // Act
    const results = await Promise.allSettled([
      spool.append([group('x'.repeat(5000))]),
      spool.append([small]),
    ]);

    // Assert
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled']);
    expect(await drain(spool)).toEqual([small]);
  });

  it('with fsync=always fdatasyncs each append (and the dir of a new segment) before it resolves', async () => {
    // Arrange: FileHandle is not exported; its prototype is that of any open handle
    const spool = await open(1 << 20, 'always');
    const probe = await openFile(join(dir, '..', 'probe'), 'w');
    const datasync = jest.spyOn(
      Object.getPrototypeOf(probe) as { datasync(): Promise<void> },
      'datasync',
    );
    await probe.close();
    const groups = [group('{"a":1}'), group('{"b":2}')];

    // Act
    for (const g of groups) await spool.append([g]);
    const calls = datasync.mock.calls.length;
    datasync.mockRestore();

    // Assert: 2 appends + 1 directory sync for the one segment created
    expect(calls).toBe(3);
    expect(await drain(spool)).toEqual(groups);
  });
});
