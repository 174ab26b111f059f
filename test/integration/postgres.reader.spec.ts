import { jest } from '@jest/globals';
import { PostgresReader } from '../../src/query/postgres.reader.js';
import type { LogQuery } from '../../src/query/log-reader.interface.js';
import { PostgresSink } from '../../src/storage/sinks/postgres.sink.js';
import { storedLine } from '../support/groups.js';
import { startPostgres, stopAllPostgres, type PostgresServer } from '../support/postgres-server.js';

/** PostgresReader (GET /logs on `postgres`) against a real, throwaway PostgreSQL. */

jest.setTimeout(60_000);

describe(PostgresReader.name, () => {
  let server: PostgresServer;
  let database = 0;
  const readers: PostgresReader[] = [];

  beforeAll(async () => {
    server = await startPostgres();
  });

  afterAll(async () => {
    await Promise.all(readers.map((r) => r.close()));
    await stopAllPostgres();
  });

  /** A fresh database holding `lines`, written by the real sink in that order (id order). */
  async function readerOver(lines: string[]): Promise<PostgresReader> {
    const name = `r${++database}`;
    const admin = await server.client();
    await admin.query(`CREATE DATABASE ${name}`);
    const url = server.url.replace(/\/postgres$/, `/${name}`);
    const sink = new PostgresSink({
      url,
      poolSize: 1,
      statementTimeoutMs: 5000,
      connectTimeoutMs: 2000,
    });
    await sink.write([{ writer: 'wR', seq: 1, day: '2026-01-21', lines }]);
    await sink.close();
    const reader = new PostgresReader({ url, statementTimeoutMs: 5000, connectTimeoutMs: 2000 });
    readers.push(reader);
    return reader;
  }

  async function allPages(reader: PostgresReader, query: LogQuery): Promise<string[][]> {
    const pages: string[][] = [];
    let cursor: string | undefined;
    do {
      const page = await reader.read({ ...query, cursor });
      pages.push(page.entries.map((e) => e.action as string));
      cursor = page.next ?? undefined;
    } while (cursor !== undefined && pages.length < 100);
    return pages;
  }

  it('pages through entries of one timestamp newest arrival first, each exactly once', async () => {
    // Arrange: 25 entries of one millisecond, so only `id` orders them (ids cross 9 → 10 → 20).
    const lines = Array.from({ length: 25 }, (_, i) =>
      storedLine({ action: `a${i}`, timestamp: '2026-01-21T10:00:00.000Z' }),
    );
    const reader = await readerOver(lines);

    // Act
    const pages = await allPages(reader, { limit: 4 });

    // Assert
    expect(pages.flat()).toEqual(lines.map((_, i) => `a${i}`).reverse());
    expect(pages.map((p) => p.length)).toEqual([4, 4, 4, 4, 4, 4, 1]);
  });

  it('orders by the entry time, not its text: an offset time sorts by the instant it names', async () => {
    // Arrange: 10:30+01:00 is 09:30Z, older than 10:00Z; ids say the opposite order.
    const reader = await readerOver([
      storedLine({ action: 'newest', timestamp: '2026-01-21T10:00:00.000Z' }),
      storedLine({ action: 'oldest', timestamp: '2026-01-21T10:30:00.000+01:00' }),
      storedLine({ action: 'middle', timestamp: '2026-01-21T09:45:00Z' }),
    ]);

    // Act
    const pages = await allPages(reader, { limit: 1 });

    // Assert
    expect(pages.flat()).toEqual(['newest', 'middle', 'oldest']);
  });

  it('filters by correlationId and by project and level together, across pages', async () => {
    // Arrange
    const lines = Array.from({ length: 30 }, (_, i) =>
      storedLine({
        action: `a${i}`,
        correlationId: i % 3 === 0 ? 'chain-1' : `other-${i}`,
        level: i % 2 === 0 ? 'error' : 'info',
        project: i % 5 === 0 ? 'payroll' : 'absences',
        timestamp: new Date(Date.UTC(2026, 0, 21, 10, 0, i)).toISOString(),
      }),
    );
    const reader = await readerOver(lines);
    const expected = (keep: (i: number) => boolean) =>
      lines
        .map((_, i) => i)
        .filter(keep)
        .reverse()
        .map((i) => `a${i}`);

    // Act
    const chain = await allPages(reader, { correlationId: 'chain-1', limit: 1000 });
    const paged = await allPages(reader, { project: 'absences', level: 'error', limit: 3 });

    // Assert
    expect(chain).toEqual([expected((i) => i % 3 === 0)]);
    expect(paged.flat()).toEqual(expected((i) => i % 2 === 0 && i % 5 !== 0));
  });

  it('answers from/to at the edges of RFC 3339 (years 0000 and 10000, a leap second)', async () => {
    // Arrange
    const reader = await readerOver([
      storedLine({ action: 'before', timestamp: '2016-12-31T23:59:59.999Z' }),
      storedLine({ action: 'leap', timestamp: '2016-12-31T23:59:60Z' }),
      storedLine({ action: 'after', timestamp: '2017-01-01T00:00:00.001Z' }),
    ]);
    const actions = async (query: Omit<LogQuery, 'limit'>) =>
      (await allPages(reader, { ...query, limit: 10 })).flat();

    // Act
    const all = await actions({
      from: Date.parse('0000-01-01T00:00:00Z'),
      to: Date.parse('9999-12-31T23:59:59-23:59'),
    });
    const fromLeap = await actions({ from: Date.parse('2017-01-01T00:00:00Z') });
    const toLeap = await actions({ to: Date.parse('2017-01-01T00:00:00Z') });

    // Assert
    expect(all).toEqual(['after', 'leap', 'before']);
    expect(fromLeap).toEqual(['after', 'leap']);
    expect(toLeap).toEqual(['leap', 'before']);
  });
});
