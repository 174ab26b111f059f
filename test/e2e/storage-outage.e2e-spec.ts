import { setTimeout as sleep } from 'node:timers/promises';
import { jest } from '@jest/globals';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import { startPostgres, stopAllPostgres, type PostgresServer } from '../support/postgres-server.js';
import { startRedis, stopAllRedis, type RedisServer } from '../support/redis-server.js';
import {
  SERVICE_KEY,
  startService,
  stopAllServices,
  type ServiceProcess,
} from '../support/service-process.js';
import { mismatches, SteadyLoad } from '../support/steady-load.js';
import { readStored } from '../support/stored.js';
import {
  streamCorrelationIds,
  tableCorrelationIds,
  waitForCount,
} from '../support/stored-remote.js';
import { openClient, terminateAllClients } from '../support/ws-client.js';

/**
 * SPEC §5 under outages: STORAGE=file,redis,postgres while one backend is SIGKILLed and the other
 * hangs (SIGSTOP), under steady load from four connections. Every frame must still be acked
 * (spooled), and once both are back every acked entry must be stored exactly once, in order per
 * connection, in each of the three stores.
 */

jest.setTimeout(90_000);

const CONNECTIONS = 4;

/** Fast breaker settings so that an outage of a second or two exercises every state. */
const BREAKER_ENV = {
  STORAGE_WRITE_TIMEOUT_MS: '400',
  BREAKER_FAILURES: '2',
  BREAKER_HALF_OPEN_MS: '200',
  PG_STATEMENT_TIMEOUT_MS: '3000',
};

describe('storage outages (file, redis, postgres fan-out)', () => {
  let redis: RedisServer;
  let postgres: PostgresServer;
  let admin: Redis;
  let db: pg.Client;
  let service: ServiceProcess;

  beforeEach(async () => {
    [redis, postgres] = await Promise.all([startRedis({ persistent: true }), startPostgres()]);
    [admin, db] = await Promise.all([redis.client(), postgres.client()]);
    service = await startService({
      env: {
        STORAGE: 'file,redis,postgres',
        REDIS_URL: redis.url,
        DATABASE_URL: postgres.url,
        ...BREAKER_ENV,
      },
    });
  });

  afterEach(async () => {
    terminateAllClients();
    await stopAllServices();
    await Promise.all([stopAllRedis(), stopAllPostgres()]);
  });

  const connectAll = () =>
    Promise.all(
      Array.from({ length: CONNECTIONS }, () =>
        openClient(service.wsUrl(), { headers: { 'x-api-key': SERVICE_KEY.key } }),
      ),
    );

  /** Which sinks logged that they switched to their spool (so the outage really was one). */
  const spooled = () => ({
    redis: /redis write failed, spooling/.test(service.stdout + service.stderr),
    postgres: /postgres write failed, spooling/.test(service.stdout + service.stderr),
  });

  /** Load for 1 s, `fault` for 2 s of load, `recover`, 1.5 s more load, stop; then compare. */
  async function outage(tag: string, fault: () => Promise<void>, recover: () => Promise<void>) {
    const load = new SteadyLoad(await connectAll(), tag);
    await sleep(1000);
    await fault();
    await sleep(2000);
    await recover();
    db = await postgres.client(); // the spec's own connection died with a killed server
    await sleep(1500);
    await load.stop();
    const total = load.totalAcked;

    const inRedis = await waitForCount(
      async () => (await streamCorrelationIds(admin)).length,
      total,
    );
    const inPostgres = await waitForCount(
      async () => (await tableCorrelationIds(db)).length,
      total,
    );
    const stored = {
      file: (await readStored(service.logDir)).map((e) => e.correlationId),
      redis: await streamCorrelationIds(admin),
      postgres: await tableCorrelationIds(db),
    };
    const problems = Object.entries(stored).flatMap(([sink, ids]) =>
      Array.from({ length: CONNECTIONS }, (_, c) =>
        mismatches(load, c, ids).map((p) => `${sink} connection ${c}: ${p}`),
      ).flat(),
    );
    return { total, inRedis, inPostgres, stored, problems };
  }

  it('acks through redis killed -9 and postgres hung, then stores every acked entry exactly once, in order', async () => {
    const result = await outage(
      'kill-redis',
      async () => {
        await redis.kill();
        postgres.pause();
      },
      async () => {
        await redis.restart();
        postgres.resume();
      },
    );

    expect(result.total).toBeGreaterThan(500);
    expect(spooled()).toEqual({ redis: true, postgres: true });
    expect(result.problems).toEqual([]);
    expect(result.stored.redis).toHaveLength(result.total);
    expect(result.stored.postgres).toHaveLength(result.total);
    expect(result.stored.file).toHaveLength(result.total);
  });

  it('acks through postgres killed -9 and redis hung, then stores every acked entry exactly once, in order', async () => {
    const result = await outage(
      'kill-postgres',
      async () => {
        await postgres.kill();
        redis.pause();
      },
      async () => {
        await postgres.restart();
        redis.resume();
      },
    );

    expect(result.total).toBeGreaterThan(500);
    expect(spooled()).toEqual({ redis: true, postgres: true });
    expect(result.problems).toEqual([]);
    expect(result.stored.redis).toHaveLength(result.total);
    expect(result.stored.postgres).toHaveLength(result.total);
    expect(result.stored.file).toHaveLength(result.total);
  });
});
