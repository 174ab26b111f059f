import type { Redis } from 'ioredis';
import type { EnvDto } from '../config/env.dto.js';
import { JsonlFileReader } from './jsonl-file.reader.js';
import type { LogReader } from './log-reader.interface.js';
import { RedisStreamReader } from './redis-stream.reader.js';

/**
 * The reader of the first configured `STORAGE` kind (the one queries are answered from): every
 * kind can answer, so with `STORAGE=postgres,file` GET /logs reads postgres. Exhaustive like
 * createLogSink: a new kind fails to compile here until it is handled. `pg` is imported only for
 * postgres, like the sink's.
 */
export async function createLogReader(env: EnvDto, redis: Redis | null): Promise<LogReader> {
  const kind = env.STORAGE[0];
  switch (kind) {
    case 'file':
      return new JsonlFileReader(env.LOG_DIR);
    case 'redis':
      // EnvDto requires REDIS_URL with STORAGE=redis, so RedisModule made the client.
      if (redis === null) throw new Error('STORAGE=redis without a Redis client');
      return new RedisStreamReader(redis, env.REDIS_STREAM_KEY);
    case 'postgres': {
      const { PostgresReader } = await import('./postgres.reader.js');
      return new PostgresReader({
        url: env.DATABASE_URL ?? '',
        statementTimeoutMs: env.PG_STATEMENT_TIMEOUT_MS,
        connectTimeoutMs: env.PG_CONNECT_TIMEOUT_MS,
      });
    }
    default: {
      const unknown: never = kind;
      throw new Error(`unknown STORAGE kind ${JSON.stringify(unknown)}`);
    }
  }
}
