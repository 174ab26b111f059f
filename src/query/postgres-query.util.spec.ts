import { buildPageSql } from './postgres-query.util.js';

describe(buildPageSql.name, () => {
  it('puts only the given filters in WHERE, as parameters, newest first', () => {
    const { text, values } = buildPageSql(
      { project: 'p', level: 'error', from: Date.parse('2026-01-21T10:00:00Z'), limit: 10 },
      null,
    );
    expect(text).toBe(
      'SELECT id::text AS cursor_id, ts::text AS cursor_ts, entry FROM log_entries WHERE project = $1 AND ' +
        'level = $2 AND ts >= to_timestamp($3::float8 / 1000) ORDER BY ts DESC NULLS FIRST, id DESC LIMIT $4',
    );
    expect(values).toEqual(['p', 'error', Date.parse('2026-01-21T10:00:00Z'), 11]);
  });

  it('continues after a cursor by (ts, id), or past the NULL-ts rows', () => {
    expect(buildPageSql({ limit: 1 }, { ts: '2026-01-21 10:00:00+00', id: '7' }).text).toContain(
      'WHERE (ts, id) < ($2::timestamptz, $1::bigint)',
    );
    expect(buildPageSql({ limit: 1 }, { ts: null, id: '7' }).text).toContain(
      'WHERE ((ts IS NULL AND id < $1::bigint) OR ts IS NOT NULL)',
    );
  });
});
