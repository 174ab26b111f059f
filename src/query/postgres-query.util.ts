import type { LogQuery } from './log-reader.interface.js';
import type { PostgresCursor } from './postgres-cursor.util.js';

const COLUMNS = [
  ['correlationId', 'correlation_id'],
  ['project', 'project'],
  ['system', 'system'],
  ['module', 'module'],
  ['level', 'level'],
] as const;

/**
 * One GET /logs page as SQL over `log_entries`: each present filter an equality on its typed,
 * indexed column, `from`/`to` a range on `ts`, newest first by (ts, id) with NULL `ts` (times
 * timestamptz cannot hold) first as the index orders them, the keyset cursor a row comparison,
 * one row more than `limit` so that `next` is only given when more rows exist. Only present
 * filters appear, so the planner sees plain equalities and picks the matching index.
 * The cursor's text columns are selected under names of their own: ORDER BY takes a bare name
 * for an output column first, so `ts::text AS ts` would sort by text (ids as '9' > '10', no
 * index order) while the cursor compares numbers, repeating or skipping rows across pages.
 */
export function buildPageSql(
  query: LogQuery,
  cursor: PostgresCursor | null,
): { text: string; values: unknown[] } {
  const where: string[] = [];
  const values: unknown[] = [];
  const param = (value: unknown): string => `$${values.push(value)}`;
  for (const [field, column] of COLUMNS) {
    const value = query[field];
    if (value !== undefined) where.push(`${column} = ${param(value)}`);
  }
  // Epoch ms, not ISO text: years 0000 and 10000 (a late offset) are valid RFC 3339 bounds
  // that toISOString writes in forms timestamptz refuses.
  if (query.from !== undefined)
    where.push(`ts >= to_timestamp(${param(query.from)}::float8 / 1000)`);
  if (query.to !== undefined) where.push(`ts <= to_timestamp(${param(query.to)}::float8 / 1000)`);
  if (cursor !== null) {
    const id = param(cursor.id);
    where.push(
      cursor.ts === null
        ? `((ts IS NULL AND id < ${id}::bigint) OR ts IS NOT NULL)`
        : `(ts, id) < (${param(cursor.ts)}::timestamptz, ${id}::bigint)`,
    );
  }
  const text =
    'SELECT id::text AS cursor_id, ts::text AS cursor_ts, entry FROM log_entries' +
    (where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '') +
    ` ORDER BY ts DESC NULLS FIRST, id DESC LIMIT ${param(query.limit + 1)}`;
  return { text, values };
}
