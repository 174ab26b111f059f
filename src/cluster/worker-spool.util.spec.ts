import { groupOfLines as group } from '../../test/support/groups.js';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EntryGroup } from '../storage/sinks/entry-group.js';
import { Spool } from '../storage/spool/spool.js';
import { adoptOrphanSpools, spoolDirOf } from './worker-spool.util.js';

const OPTIONS = { maxBytes: 1 << 20, fsync: 'never' } as const;

/** Spools `groups` as worker `index` of a cluster with root `root` would, and closes the spool. */
async function spoolAs(root: string, index: number, groups: EntryGroup[]): Promise<void> {
  const spool = await Spool.open(join(spoolDirOf(root, index), 'redis'), OPTIONS);
  for (const g of groups) await spool.append([g]);
  await spool.close();
}

/** Every line a spool gives back, oldest first, without committing. */
async function linesOf(dir: string): Promise<string[]> {
  const spool = await Spool.open(dir, OPTIONS);
  const lines: string[] = [];
  for (let batch = await spool.next(1000); batch; batch = await spool.next(1000)) {
    for (const g of batch.groups) lines.push(...g.lines);
    await spool.commit(batch);
  }
  await spool.close();
  return lines;
}

describe(adoptOrphanSpools.name, () => {
  let root: string;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'worker-spool-'));
  });

  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('moves the segments of workers beyond WORKERS into the root spool, after its own', async () => {
    // Arrange: WORKERS was 4, now 2; workers 0, 1 and 3 had spooled.
    await spoolAs(root, 0, [group('own-1')]);
    await spoolAs(root, 1, [group('w1-1')]);
    await spoolAs(root, 3, [group('w3-1'), group('w3-2')]);

    // Act
    const taken = await adoptOrphanSpools(root, 'redis', 2);

    // Assert: worker 1 still exists and keeps its spool; worker 3's is gone into the root's.
    expect(taken).toBeGreaterThanOrEqual(1);
    expect(existsSync(join(root, 'worker-3'))).toBe(false);
    expect(await linesOf(join(root, 'worker-1', 'redis'))).toEqual(['w1-1']);
    expect(await linesOf(join(root, 'redis'))).toEqual(['own-1', 'w3-1', 'w3-2']);
  });

  it('takes every worker spool into a single process (WORKERS=1), the root spool empty', async () => {
    await spoolAs(root, 1, [group('a')]);
    await spoolAs(root, 2, [group('b')]);

    await adoptOrphanSpools(root, 'redis', 1);

    expect(readdirSync(root).filter((n) => n.startsWith('worker-'))).toEqual([]);
    expect(await linesOf(join(root, 'redis'))).toEqual(['a', 'b']);
  });

  it('leaves other kinds and an absent root alone', async () => {
    await spoolAs(root, 2, [group('redis-line')]);

    expect(await adoptOrphanSpools(root, 'postgres', 1)).toBe(0);
    expect(await adoptOrphanSpools(join(root, 'absent'), 'redis', 1)).toBe(0);
    expect(await linesOf(join(root, 'worker-2', 'redis'))).toEqual(['redis-line']);
  });
});
