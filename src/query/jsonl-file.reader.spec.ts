import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonlFileReader } from './jsonl-file.reader.js';
import type { LogQuery } from './log-reader.interface.js';

const entry = (n: number, over: Record<string, unknown> = {}) => ({
  timestamp: `2026-01-2${n < 5 ? 1 : 2}T10:00:0${n % 10}.000Z`,
  correlationId: `c-${n}`,
  level: n % 2 === 0 ? 'error' : 'info',
  project: n % 3 === 0 ? 'payroll' : 'absences',
  system: 's',
  module: 'm',
  action: 'a',
  ...over,
});
const ids = (entries: Record<string, unknown>[]) => entries.map((e) => e.correlationId);

describe(JsonlFileReader.name, () => {
  let dir: string;

  beforeAll(async () => {
    // Day 21: entries 0..4, day 22: 5..9 and a torn last line.
    dir = await mkdtemp(join(tmpdir(), 'reader-'));
    const lines = (from: number, to: number) =>
      Array.from({ length: to - from }, (_, i) => JSON.stringify(entry(from + i))).join('\n');
    await writeFile(join(dir, '2026-01-21.jsonl'), `${lines(0, 5)}\n`);
    await writeFile(join(dir, '2026-01-22.jsonl'), `${lines(5, 10)}\n{"torn":`);
    await writeFile(join(dir, 'notes.txt'), 'not a day file\n');
  });

  afterAll(() => rm(dir, { recursive: true, force: true }));

  const read = (query: Partial<LogQuery>, reader = new JsonlFileReader(dir)) =>
    reader.read({ limit: 100, ...query });

  it('returns every entry newest first across day files, skipping a torn line', async () => {
    const page = await read({});
    expect(ids(page.entries)).toEqual([
      'c-9',
      'c-8',
      'c-7',
      'c-6',
      'c-5',
      'c-4',
      'c-3',
      'c-2',
      'c-1',
      'c-0',
    ]);
    expect(page.next).toBeNull();
  });

  it('filters by field, level and timestamp range', async () => {
    expect(ids((await read({ level: 'error', project: 'absences' })).entries)).toEqual([
      'c-8',
      'c-4',
      'c-2',
    ]);
    expect(ids((await read({ correlationId: 'c-3' })).entries)).toEqual(['c-3']);
    const range = {
      from: Date.parse('2026-01-22T10:00:06Z'),
      to: Date.parse('2026-01-22T10:00:08Z'),
    };
    expect(ids((await read(range)).entries)).toEqual(['c-8', 'c-7', 'c-6']);
  });

  it('pages with `next`: every entry exactly once, in order', async () => {
    // Act
    const seen: unknown[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await read({ limit: 3, cursor });
      seen.push(...ids(page.entries));
      cursor = page.next ?? undefined;
      pages++;
    } while (cursor !== undefined && pages < 10);

    // Assert
    expect(seen).toEqual(['c-9', 'c-8', 'c-7', 'c-6', 'c-5', 'c-4', 'c-3', 'c-2', 'c-1', 'c-0']);
  });

  it('stops at the scan bound with `next`, and the next page goes on from there', async () => {
    // Arrange: a bound of about two lines
    const reader = new JsonlFileReader(dir, 300);

    // Act
    const first = await read({ correlationId: 'c-0' }, reader);
    let page = first;
    let rounds = 0;
    while (page.entries.length === 0 && page.next !== null && rounds++ < 20) {
      page = await read({ correlationId: 'c-0', cursor: page.next }, reader);
    }

    // Assert
    expect(first.entries).toEqual([]);
    expect(first.next).not.toBeNull();
    expect(ids(page.entries)).toEqual(['c-0']);
  });

  it('refuses a cursor it did not make with 400 naming cursor', async () => {
    await expect(read({ cursor: 'bm90IGEgY3Vyc29y' })).rejects.toMatchObject({
      status: 400,
      errors: [expect.objectContaining({ field: 'cursor' })],
    });
  });
});
