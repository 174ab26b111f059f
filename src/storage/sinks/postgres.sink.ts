import { Logger } from '@nestjs/common';
import pg from 'pg';
import { entryId, type EntryGroup } from './entry-group.js';
import type { LogSink } from './log-sink.interface.js';
import { CREATE_SCHEMA_SQL, INSERT_SQL } from './postgres.schema.js';

export interface PostgresOptions {
  /** DATABASE_URL */
  url: string;
  /** PG_POOL_SIZE */
  poolSize: number;
  /** PG_STATEMENT_TIMEOUT_MS: server-side statement_timeout and the client's query timeout. */
  statementTimeoutMs: number;
  /** PG_CONNECT_TIMEOUT_MS: connecting, and waiting for a free pooled connection. */
  connectTimeoutMs: number;
}

/**
 * `postgres` storage (SPEC §5): table `log_entries` (postgres.schema.ts), created before the
 * first write; each write is one multi-row INSERT … ON CONFLICT (entry_id) DO NOTHING, so
 * writing a group again stores nothing twice, from any instance. Boot does not wait for the
 * database: a sink whose database is down fails its writes (its breaker spools them) and tries
 * the DDL again with the next write.
 */
export class PostgresSink implements LogSink {
  readonly kind = 'postgres';
  private readonly pool: pg.Pool;
  private schema: Promise<void> | undefined;
  private readonly logger = new Logger(PostgresSink.name);

  constructor(options: PostgresOptions) {
    this.pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolSize,
      connectionTimeoutMillis: options.connectTimeoutMs,
      statement_timeout: options.statementTimeoutMs,
      query_timeout: options.statementTimeoutMs,
      keepAlive: true,
      application_name: 'logger-service',
    });
    // An idle connection that the server drops must not crash the process; the next query
    // simply gets a new one.
    this.pool.on('error', (error) => this.logger.warn(`idle connection lost: ${error.message}`));
    this.ensureSchema().catch((error: Error) =>
      this.logger.warn(`log_entries not created at boot (retried on write): ${error.message}`),
    );
  }

  async write(groups: readonly EntryGroup[]): Promise<void> {
    await this.ensureSchema();
    const lines: string[] = [];
    const ids: string[] = [];
    for (const group of groups) {
      const prefix = `${group.writer}.${group.seq}.`;
      for (let i = 0; i < group.lines.length; i++) {
        lines.push(group.lines[i]);
        // Producer batches (rare beside plain traffic) take their ids from the stream.
        ids.push(group.streams ? entryId(group, i) : prefix + i);
      }
    }
    await this.pool.query({
      name: 'logger_insert_entries',
      text: INSERT_SQL,
      values: [lines.join('\n'), ids.join('\n')],
    });
  }

  async check(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  /** The DDL once; a failed attempt is forgotten, so the next write tries again. */
  private ensureSchema(): Promise<void> {
    this.schema ??= this.pool.query(CREATE_SCHEMA_SQL).then(
      () => undefined,
      (error: unknown) => {
        this.schema = undefined;
        throw error;
      },
    );
    return this.schema;
  }
}
