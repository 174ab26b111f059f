import pg from 'pg';
import { DomainError } from '../common/domain.error.js';
import { inSpecOrder } from './entry-order.util.js';
import type { LogPage, LogQuery, LogReader } from './log-reader.interface.js';
import { decodePostgresCursor, encodePostgresCursor } from './postgres-cursor.util.js';
import { buildPageSql } from './postgres-query.util.js';

interface Row {
  cursor_id: string;
  cursor_ts: string | null;
  entry: Record<string, unknown>;
}

export interface PostgresReaderOptions {
  url: string;
  statementTimeoutMs: number;
  connectTimeoutMs: number;
}

/**
 * GET /logs on `postgres` storage: one indexed SELECT per page (postgres-query.util.ts), newest
 * entry timestamp first (ties and equal times by arrival, `id`), a keyset cursor on (ts, id), so
 * a page costs the same however deep it is. Its own small pool: queries never wait behind writes.
 * The session time zone is UTC so that the `ts` text in a cursor means the same on every instance.
 */
export class PostgresReader implements LogReader {
  private readonly pool: pg.Pool;

  constructor(options: PostgresReaderOptions) {
    this.pool = new pg.Pool({
      connectionString: options.url,
      max: 2,
      connectionTimeoutMillis: options.connectTimeoutMs,
      statement_timeout: options.statementTimeoutMs,
      query_timeout: options.statementTimeoutMs,
      application_name: 'logger-service:query',
      options: '-c TimeZone=UTC',
    });
    this.pool.on('error', () => undefined); // an idle connection dropped: the next query reconnects
  }

  async read(query: LogQuery): Promise<LogPage> {
    const cursor = query.cursor === undefined ? null : decodePostgresCursor(query.cursor);
    const { rows } = await this.pool
      .query<Row>(buildPageSql(query, cursor))
      .catch((error: Error) => {
        throw new DomainError(503, `postgres cannot answer GET /logs now: ${error.message}`);
      });
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return {
      entries: page.map((row) => inSpecOrder(row.entry)),
      next:
        rows.length > query.limit && last
          ? encodePostgresCursor({ ts: last.cursor_ts, id: last.cursor_id })
          : null,
    };
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}
