import { jest } from '@jest/globals';
import type pg from 'pg';
import { PostgresSink } from '../../src/storage/sinks/postgres.sink.js';
import { STORED_FIELD_ORDER } from '../support/entries.js';
import { groupsOf, storedLine } from '../support/groups.js';
import { startPostgres, stopAllPostgres, type PostgresServer } from '../support/postgres-server.js';

/** PostgresSink against a real, throwaway PostgreSQL (SPEC §5 `postgres`). */

jest.setTimeout(60_000);

const sinkFor = (url: string) =>
  new PostgresSink({ url, poolSize: 2, statementTimeoutMs: 5000, connectTimeoutMs: 2000 });

describe(PostgresSink.name, () => {
  let server: PostgresServer;
  let admin: pg.Client;
  let database = 0;

  beforeAll(async () => {
    server = await startPostgres();
    admin = await server.client();
  });

  afterAll(() => stopAllPostgres());

  /** A fresh database per test, so each one starts without the table. */
  async function freshDatabase(): Promise<{ url: string; db: pg.Client }> {
    const name = `t${++database}`;
    await admin.query(`CREATE DATABASE ${name}`);
    const url = server.url.replace(/\/postgres$/, `/${name}`);
    const { default: pgModule } = await import('pg');
    const db = new pgModule.Client({ connectionString: url });
    await db.connect();
    return { url, db };
  }

  it('stores each entry exactly as written, its id beside it, typed columns filled', async () => {
    // Arrange
    const { url, db } = await freshDatabase();
    const sink = sinkFor(url);
    const line = storedLine({ correlationId: 'corr-1' });
    const group = { writer: 'wA', seq: 7, day: '2026-01-21', lines: [line] };

    // Act
    await sink.write([group]);
    await sink.close();

    // Assert
    const { rows } = await db.query(
      'SELECT entry, ts, correlation_id, level, project, system, module, entry_id FROM log_entries',
    );
    await db.end();
    expect(rows).toHaveLength(1);
    expect(rows[0].entry).toEqual(JSON.parse(line));
    expect(Object.keys(rows[0].entry).sort()).toEqual([...STORED_FIELD_ORDER].sort());
    expect(rows[0].ts.toISOString()).toBe('2026-01-21T09:30:00.000Z');
    expect(rows[0]).toMatchObject({
      correlation_id: 'corr-1',
      level: 'error',
      project: 'absences',
      system: 'backend',
      module: 'AddCompanies',
      entry_id: 'wA.7.0',
    });
  });

  it('writes several groups in one statement, ids in entry order', async () => {
    // Arrange
    const { url, db } = await freshDatabase();
    const sink = sinkFor(url);
    await sink.write(groupsOf(1, 1)); // creates the table
    const groups = groupsOf(4, 250);
    const query = jest.spyOn(sink['pool'], 'query');

    // Act
    await sink.write(groups);
    await sink.close();

    // Assert
    expect(query).toHaveBeenCalledTimes(1);
    const { rows } = await db.query(
      "SELECT entry->>'correlationId' AS c FROM log_entries ORDER BY id OFFSET 1",
    );
    await db.end();
    const expected = groups.flatMap((g) => g.lines.map((l) => JSON.parse(l).correlationId));
    expect(rows.map((r) => r.c)).toEqual(expected);
  });

  it('stores nothing twice when groups are written again, whole or overlapping', async () => {
    // Arrange
    const { url, db } = await freshDatabase();
    const sink = sinkFor(url);
    const groups = groupsOf(3, 100);

    // Act
    await sink.write(groups.slice(0, 2));
    await sink.write(groups); // a replay that overlaps what was stored
    await sink.write(groups.slice(1));
    await sink.close();

    // Assert
    const { rows } = await db.query(
      'SELECT count(*)::int AS n, count(DISTINCT entry_id)::int AS d FROM log_entries',
    );
    await db.end();
    expect(rows[0]).toEqual({ n: 300, d: 300 });
  });

  it('creates table and indexes once when four instances start on an empty database together', async () => {
    // Arrange
    const { url, db } = await freshDatabase();
    const sinks = Array.from({ length: 4 }, () => sinkFor(url));

    // Act
    await Promise.all(sinks.map((sink) => sink.write(groupsOf(1, 10))));
    await Promise.all(sinks.map((sink) => sink.close()));

    // Assert
    const count = await db.query('SELECT count(*)::int AS n FROM log_entries');
    const indexes = await db.query(
      "SELECT indexdef FROM pg_indexes WHERE tablename = 'log_entries' ORDER BY indexname",
    );
    await db.end();
    expect(count.rows[0].n).toBe(40);
    const defs = indexes.rows.map((r) => r.indexdef as string).join('\n');
    expect(defs).toMatch(/UNIQUE INDEX log_entries_entry_id_key .*\(entry_id\)/);
    for (const column of ['correlation_id', 'project', 'system', 'module', 'level']) {
      expect(defs).toMatch(new RegExp(`\\(${column}, ts DESC\\)`));
    }
    expect(defs).toMatch(/\(ts DESC, id DESC\)/);
  });

  it('keeps an entry whose time timestamptz cannot hold, with ts NULL', async () => {
    // Arrange
    const { url, db } = await freshDatabase();
    const sink = sinkFor(url);
    const lines = [
      storedLine({ timestamp: '0000-01-01T00:00:00Z' }),
      storedLine({ timestamp: '2026-01-21T10:30:00+23:59' }),
      storedLine({ timestamp: '2026-01-21t10:30:00z' }),
    ];

    // Act
    await sink.write([{ writer: 'wT', seq: 1, day: '2026-01-21', lines }]);
    await sink.close();

    // Assert
    const { rows } = await db.query('SELECT ts FROM log_entries ORDER BY id');
    await db.end();
    expect(rows.map((r) => r.ts && (r.ts as Date).toISOString())).toEqual([
      null,
      null,
      '2026-01-21T10:30:00.000Z',
    ]);
  });

  it('fails writes and check() while the database is down, and recovers by itself', async () => {
    // Arrange
    const own = await startPostgres();
    const sink = sinkFor(own.url);
    await sink.write(groupsOf(1, 5));

    // Act
    await own.kill();
    const whileDown = await sink.write(groupsOf(1, 5)).catch((e: unknown) => e);
    const checkDown = await sink.check().catch((e: unknown) => e);
    await own.restart();
    // Errors of node's own modules come from another realm here: compare with undefined.
    let after: unknown = 'not tried';
    for (let i = 0; i < 50 && after !== undefined; i++) {
      after = await sink.write(groupsOf(1, 5)).catch((e: unknown) => e);
    }
    await sink.close();

    // Assert
    expect(String(whileDown)).toMatch(/ECONNREFUSED|ECONNRESET|terminat|closed/);
    expect(String(checkDown)).toMatch(/ECONNREFUSED|ECONNRESET|terminat|closed/);
    expect(after).toBeUndefined();
    const db = await own.client();
    const { rows } = await db.query('SELECT count(*)::int AS n FROM log_entries');
    expect(rows[0].n).toBe(10);
    await own.stop();
  });
});
