import { Logger } from '@nestjs/common';
import { join } from 'node:path';
import { adoptOrphanSpools } from '../../cluster/worker-spool.util.js';
import { workerIndex } from '../../cluster/worker.channel.js';
import { InvalidConfigError } from '../../config/app.config.js';
import type { EnvDto, StorageKind } from '../../config/env.dto.js';
import { GuardedSink } from '../guard/guarded.sink.js';
import { createSinkPolicy } from '../guard/sink-policy.js';
import { Spool } from '../spool/spool.js';
import type { StorageMetrics } from '../storage-metrics.js';
import { FanOutSink } from './fan-out.sink.js';
import { JsonlFileSink } from './jsonl-file.sink.js';
import type { LogSink } from './log-sink.interface.js';
import type { ProducerLedger } from './producer-ledger.interface.js';
import { MeasuredSink } from './measured.sink.js';
import { RedisStreamSink } from './redis-stream.sink.js';

/**
 * Kinds written straight to local disk: a spool on the same disk would add nothing, so they
 * have no breaker and a failed write answers 503 at once, as before. Every other kind is remote
 * and sits behind a GuardedSink (breaker + spool under `${SPOOL_DIR}/<kind>/`).
 */
const LOCAL_KINDS: ReadonlySet<StorageKind> = new Set(['file']);

/**
 * Builds the bare sink of one `STORAGE` kind. Exhaustive: adding a kind to `STORAGE_KINDS` fails
 * to compile here until it is handled, and a kind that slips past validation throws at boot.
 * `pg` and ioredis are imported only when a kind needs them: loading them costs a start ~30 ms
 * and ~10 ms (issue 13).
 */
export async function createLogSink(
  kind: StorageKind,
  env: EnvDto,
  ledger?: ProducerLedger,
): Promise<LogSink> {
  switch (kind) {
    case 'file':
      return fileSink(env.LOG_DIR, env, ledger);
    case 'redis':
      return redisSink(env);
    case 'postgres': {
      const { PostgresSink } = await import('./postgres.sink.js');
      return new PostgresSink({
        url: env.DATABASE_URL!,
        poolSize: env.PG_POOL_SIZE,
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

/**
 * The `LOG_SINK` provider's factory: each kind of `env.STORAGE` built, remote ones guarded,
 * several of them fanned out. Resolves once every spool is open (a spool left by an earlier
 * process starts replaying at once). `ledger` is where `file` notes producer batches (SPEC §8).
 */
export async function createConfiguredLogSink(
  env: EnvDto,
  metrics: StorageMetrics,
  ledger?: ProducerLedger,
): Promise<LogSink> {
  const kinds = env.STORAGE;
  if (kinds.length === 0) throw new InvalidConfigError('STORAGE lists no kind');
  if (new Set(kinds).size !== kinds.length) {
    throw new InvalidConfigError(`STORAGE=${kinds.join(',')} lists a kind twice`);
  }
  const sinks: LogSink[] = [];
  for (const kind of kinds) {
    const sink = await createLogSink(kind, env, ledger);
    if (LOCAL_KINDS.has(kind)) {
      sinks.push(new MeasuredSink(sink, metrics.for(kind)));
      continue;
    }
    const spool = await openSpool(kind, env);
    const policy = createSinkPolicy({
      timeoutMs: env.STORAGE_WRITE_TIMEOUT_MS,
      failures: env.BREAKER_FAILURES,
      halfOpenMs: env.BREAKER_HALF_OPEN_MS,
    });
    sinks.push(new GuardedSink(sink, spool, policy, metrics.for(kind)));
  }
  return sinks.length === 1 ? sinks[0] : new FanOutSink(sinks);
}

/** A LOG_DIR that cannot be created is the operator's to fix: say which variable. */
function fileSink(dir: string, env: EnvDto, ledger?: ProducerLedger): LogSink {
  try {
    return new JsonlFileSink(dir, env.FSYNC, ledger);
  } catch (error) {
    throw new InvalidConfigError(
      `invalid environment variable LOG_DIR=${JSON.stringify(dir)}: ${(error as Error).message}`,
    );
  }
}

async function redisSink(env: EnvDto): Promise<LogSink> {
  const { createRedisClient } = await import('../../redis/create-redis-client.js');
  // Its own connection: the dedupe mark needs one writer's commands in order (see the sink).
  const client = createRedisClient(env.REDIS_URL!, 'stream');
  client.connect().catch((error: Error) => {
    new Logger('RedisStreamSink').warn(`Redis not reachable at boot: ${error.message}`);
  });
  return new RedisStreamSink(client, {
    streamKey: env.REDIS_STREAM_KEY,
    maxLen: env.REDIS_STREAM_MAXLEN,
    markTtlS: env.REDIS_STREAM_DEDUPE_TTL_S,
  });
}

async function openSpool(kind: string, env: EnvDto): Promise<Spool> {
  try {
    const index = workerIndex();
    if (index === undefined || index === 0) {
      // SPOOL_DIR is the root here: it takes over what workers that no longer exist spooled.
      const taken = await adoptOrphanSpools(env.SPOOL_DIR, kind, env.WORKERS);
      if (taken > 0) {
        new Logger('Spool').log(`${kind}: took over ${taken} segments of workers beyond WORKERS`);
      }
    }
    return await Spool.open(join(env.SPOOL_DIR, kind), {
      maxBytes: env.SPOOL_MAX_BYTES,
      fsync: env.FSYNC,
    });
  } catch (error) {
    throw new InvalidConfigError(
      `invalid environment variable SPOOL_DIR=${JSON.stringify(env.SPOOL_DIR)}: ${(error as Error).message}`,
    );
  }
}
