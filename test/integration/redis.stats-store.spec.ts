import { jest } from '@jest/globals';
import type { Redis } from 'ioredis';
import { DomainError } from '../../src/common/domain.error.js';
import { createRedisClient } from '../../src/redis/create-redis-client.js';
import { RedisStatsStore, statsHashKey } from '../../src/stats/redis.stats-store.js';
import { SEP } from '../../src/stats/stats-key.util.js';
import type { StatsQuery } from '../../src/stats/stats-query.util.js';
import { tallyProject, tallyStats } from '../../src/stats/stats-summary.util.js';
import { RETENTION_S } from '../../src/stats/stats.constants.js';
import { startRedis, stopAllRedis, type RedisServer } from '../support/redis-server.js';

/** RedisStatsStore (GET /stats with REDIS_URL) against a real, throwaway redis-server. */

jest.setTimeout(30_000);

type Counts = Map<string, number>;

/** Every count the store visits in [from, to), summed per tally key. */
async function readAll(store: RedisStatsStore, from: number, to: number): Promise<Counts> {
  const sums: Counts = new Map();
  await store.read(from, to, (_, key, n) => sums.set(key, (sums.get(key) ?? 0) + n));
  return sums;
}

const WHOLE = { fromMinute: 0, toMinute: 0, series: false } as unknown as StatsQuery;

function summarize(counts: Counts) {
  const tally = tallyStats(WHOLE);
  for (const [key, n] of counts) tally.visit(0, key, n);
  return tally.result();
}

function summarizeProject(counts: Counts, project: string) {
  const tally = tallyProject(WHOLE, project);
  for (const [key, n] of counts) tally.visit(0, key, n);
  return tally.result();
}

/** No timer flushes during a test: each test flushes when it means to. */
const NEVER_MS = 3_600_000;
const MINUTE = 29_500_000; // an epoch minute in 2026

const key = (level: string, project: string, system: string, module: string) =>
  [level, project, system, module].join(SEP);

describe(RedisStatsStore.name, () => {
  let redis: RedisServer;
  let admin: Redis;
  let prefixes = 0;
  const stores: RedisStatsStore[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    admin = await redis.client();
  });

  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close().catch(() => undefined)));
    await stopAllRedis();
  });

  const newPrefix = () => `stats-it-${++prefixes}`;

  /** A store on its own connection, as StatsModule makes it. */
  async function storeOn(prefix: string): Promise<RedisStatsStore> {
    const client = createRedisClient(redis.url, 'test-stats');
    await client.connect();
    const store = new RedisStatsStore(client, prefix, NEVER_MS);
    stores.push(store);
    return store;
  }

  it('writes per-minute hashes with HINCRBY and sums them by level, project, system and module', async () => {
    // Arrange
    const prefix = newPrefix();
    const store = await storeOn(prefix);
    store.record(MINUTE, key('error', 'absences', 'backend', 'AddCompanies'), 3);
    store.record(MINUTE, key('info', 'absences', 'frontend', 'AddCompanies'), 5);
    store.record(MINUTE, key('error', 'absences', 'backend', 'AddCompanies'), 2);
    store.record(MINUTE + 1, key('warning', 'payroll', 'worker', 'SalaryRun'), 7);
    await admin.config('RESETSTAT');

    // Act
    await store.flush();
    const fresh = await storeOn(prefix); // nothing pending: answers from Redis alone
    const counts = await readAll(fresh, MINUTE, MINUTE + 2);

    // Assert
    expect(await admin.hgetall(statsHashKey(prefix, MINUTE))).toEqual({
      [key('error', 'absences', 'backend', 'AddCompanies')]: '5',
      [key('info', 'absences', 'frontend', 'AddCompanies')]: '5',
    });
    expect(await admin.info('commandstats')).toMatch(/^cmdstat_hincrby:calls=3,/m);
    expect(summarize(counts)).toEqual({
      total: 17,
      byLevel: { error: 5, info: 5, warning: 7 },
      byProject: { absences: 10, payroll: 7 },
    });
    expect(summarizeProject(counts, 'absences')).toEqual({
      project: 'absences',
      total: 10,
      byLevel: { error: 5, info: 5 },
      bySystem: { backend: 5, frontend: 5 },
      byModule: { AddCompanies: 10 },
    });
  });

  it('reads only the minutes in [from, to)', async () => {
    // Arrange
    const prefix = newPrefix();
    const store = await storeOn(prefix);
    for (let m = 0; m < 5; m++) store.record(MINUTE + m, key('info', `p${m}`, 's', 'm'), m + 1);
    await store.flush();
    const reader = await storeOn(prefix);

    // Act
    const middle = summarize(await readAll(reader, MINUTE + 1, MINUTE + 4));
    const none = summarize(await readAll(reader, MINUTE + 5, MINUTE + 9));
    const empty = summarize(await readAll(reader, MINUTE + 2, MINUTE + 2));

    // Assert
    expect(middle.byProject).toEqual({ p1: 2, p2: 3, p3: 4 });
    expect(none.total).toBe(0);
    expect(empty.total).toBe(0);
  });

  it('sets the retention TTL on every minute hash it writes, renewed on each flush', async () => {
    // Arrange
    const prefix = newPrefix();
    const store = await storeOn(prefix);
    store.record(MINUTE, key('info', 'p', 's', 'm'), 1);
    store.record(MINUTE + 1, key('info', 'p', 's', 'm'), 1);
    await store.flush();
    await admin.expire(statsHashKey(prefix, MINUTE), 10);

    // Act
    store.record(MINUTE, key('info', 'p', 's', 'm'), 1);
    await store.flush();

    // Assert
    for (const m of [MINUTE, MINUTE + 1]) {
      const ttl = await admin.ttl(statsHashKey(prefix, m));
      expect(ttl).toBeGreaterThan(RETENTION_S - 60);
      expect(ttl).toBeLessThanOrEqual(RETENTION_S);
    }
  });

  it('sums the counts of two instances sharing one Redis, flushed or still pending', async () => {
    // Arrange
    const prefix = newPrefix();
    const [a, b] = [await storeOn(prefix), await storeOn(prefix)];
    const shared = key('error', 'absences', 'backend', 'AddCompanies');
    a.record(MINUTE, shared, 4);
    b.record(MINUTE, shared, 6);
    b.record(MINUTE, key('info', 'payroll', 'api', 'Export'), 1);
    await Promise.all([a.flush(), b.flush()]);
    a.record(MINUTE, shared, 10); // not flushed yet: a counts it, b cannot know it

    // Act
    const seenByA = summarize(await readAll(a, MINUTE, MINUTE + 1));
    const seenByB = summarize(await readAll(b, MINUTE, MINUTE + 1));
    await a.flush();
    const afterFlush = summarize(await readAll(b, MINUTE, MINUTE + 1));

    // Assert
    expect(seenByA.byProject).toEqual({ absences: 20, payroll: 1 });
    expect(seenByB.byProject).toEqual({ absences: 10, payroll: 1 });
    expect(afterFlush).toEqual({
      total: 21,
      byLevel: { error: 20, info: 1 },
      byProject: { absences: 20, payroll: 1 },
    });
  });

  it('answers a read while Redis is down with DomainError 503, keeps counts and writes them once it is back', async () => {
    // Arrange
    const prefix = newPrefix();
    const store = await storeOn(prefix);
    await redis.kill();
    store.record(MINUTE, key('error', 'absences', 'backend', 'AddCompanies'), 3);

    // Act
    const failedRead = await readAll(store, MINUTE, MINUTE + 1).catch((e: unknown) => e);
    await store.flush(); // fails: the counts are merged back, not lost and not doubled
    await store.flush();
    await redis.restart();
    await waitUntilReady(store);
    await store.flush();
    const reader = await storeOn(prefix);
    const after = summarize(await readAll(reader, MINUTE, MINUTE + 1));

    // Assert
    expect(failedRead).toBeInstanceOf(DomainError);
    expect(failedRead).toMatchObject({ status: 503 });
    expect((failedRead as Error).message).toMatch(/^Redis cannot answer GET \/stats now/);
    expect(after.total).toBe(3);
  });
});

/** Until the store's own client has reconnected (it retries by itself) and a read succeeds. */
async function waitUntilReady(store: RedisStatsStore): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const ok = await readAll(store, MINUTE + 100, MINUTE + 101).then(
      () => true,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the stats store did not reconnect');
}
