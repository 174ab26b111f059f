import { jest } from '@jest/globals';
import { createLogger, type Logger } from '@logger-service/client';
import type pg from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import { batchFrame, uniqueId, validEntry } from '../support/entries.js';
import { tally, tallyStored, type EntryTally } from '../support/entry-tally.js';
import { startPostgres, stopAllPostgres, type PostgresServer } from '../support/postgres-server.js';
import { SteadyProducer } from '../support/steady-producer.js';
import { startRedis, stopAllRedis } from '../support/redis-server.js';
import { restartService } from '../support/restart-service.js';
import {
  SERVICE_KEY,
  startService,
  stopAllServices,
  type ServiceProcess,
} from '../support/service-process.js';
import { readStored } from '../support/stored.js';
import { tableCorrelationIds } from '../support/stored-remote.js';
import { openClient, producerLastSeq, terminateAllClients } from '../support/ws-client.js';

/**
 * SPEC §8 + §9 against the real service: with a producerId the SDK stores every entry it accepted
 * exactly once, in order, whatever kills or restarts the service meanwhile: 0 lost, 0 duplicated.
 * On `file` (state in LOG_DIR) the file sink notes each producer batch before appending it, so a
 * kill -9 anywhere leaves no window; on `postgres` a batch's entries have ids from its stream
 * (epoch, seq), so a resend of a batch stored but not recorded is a no-op, on any instance.
 * The window itself is held open deterministically at the end (Redis writes paused).
 */

jest.setTimeout(120_000);

afterEach(() => terminateAllClients());
afterAll(async () => {
  await stopAllServices();
  await stopAllRedis();
  await stopAllPostgres();
});

const SHORT_DRAIN = { SHUTDOWN_TIMEOUT_MS: '4000' };

function producerSdk(urls: string | string[], producerId: string): Logger {
  const logger = createLogger({
    url: urls,
    apiKey: SERVICE_KEY.key,
    project: 'sdk-producer-e2e',
    system: 'e2e',
    producerId,
    batchSize: 50,
    lingerMs: 5,
    onFull: 'block',
    maxBuffered: 2000,
    reconnect: { minDelayMs: 20, maxDelayMs: 250 },
  });
  logger.on('error', () => undefined);
  return logger;
}

const EXACT: EntryTally = { lost: [], duplicated: 0, inOrder: true };

/** Where a scenario stores: the env for its services, and how to read what they stored. */
interface Storage {
  env(): Promise<Record<string, string>>;
  tally(handed: readonly string[], services: ServiceProcess[]): Promise<EntryTally>;
}

let postgres: PostgresServer | undefined;
let db: pg.Client | undefined;

const STORAGES: [string, Storage][] = [
  [
    'file',
    {
      env: () => Promise.resolve({}),
      tally: (handed, services) =>
        tallyStored(
          handed,
          services.map((s) => s.logDir),
        ),
    },
  ],
  [
    'postgres',
    {
      async env() {
        postgres ??= await startPostgres();
        db ??= await postgres.client();
        return { STORAGE: 'postgres', DATABASE_URL: postgres.url };
      },
      tally: async (handed) => tally(handed, await tableCorrelationIds(db!)),
    },
  ],
];

function report(what: string, producer: SteadyProducer, t: EntryTally): void {
  console.log(
    `${what}: ${producer.handed.length} handed over, lost ${t.lost.length}, ` +
      `duplicated ${t.duplicated}, resent ${producer.logger.stats().resent}`,
  );
}

describe.each(STORAGES)(
  'producer streams through the SDK on %s (exactly once)',
  (kind, storage) => {
    it('stores every entry once, in order, across two kill -9 restarts', async () => {
      let service: ServiceProcess = await startService({ env: await storage.env() });
      const id = uniqueId(`kill-${kind}`).slice(0, 60);
      const producer = new SteadyProducer(producerSdk(service.wsUrl(), id), id);

      for (const at of [1500, 4000]) {
        await producer.reach(at);
        await service.kill9();
        service = await restartService(service);
      }
      await producer.reach(6000);
      await producer.stop();

      const t = await storage.tally(producer.handed, [service]);
      report(`${kind} kill -9 ×2`, producer, t);
      expect(t).toEqual(EXACT);
      expect(producer.logger.stats()).toMatchObject({ acked: producer.handed.length, buffered: 0 });
    });

    it('stores every entry once, in order, across a SIGTERM restart', async () => {
      let service: ServiceProcess = await startService({
        env: { ...(await storage.env()), ...SHORT_DRAIN },
      });
      const id = uniqueId(`term-${kind}`).slice(0, 60);
      const producer = new SteadyProducer(producerSdk(service.wsUrl(), id), id);

      await producer.reach(2000);
      await service.stop('SIGTERM');
      service = await restartService(service);
      await producer.reach(4000);
      await producer.stop();

      const t = await storage.tally(producer.handed, [service]);
      report(`${kind} SIGTERM`, producer, t);
      expect(t).toEqual(EXACT);
    });

    it('a restarted producer process continues its stream after the hello lastSeq', async () => {
      const service = await startService({ env: await storage.env() });
      const id = uniqueId(`again-${kind}`).slice(0, 60);
      const first = producerSdk(service.wsUrl(), id);
      for (let i = 0; i < 120; i++) await first.info('P', 'a', { correlationId: `${id}-${i}` });
      await first.close();

      const second = producerSdk(service.wsUrl(), id);
      for (let i = 120; i < 200; i++) await second.info('P', 'a', { correlationId: `${id}-${i}` });
      await second.close();

      const handed = Array.from({ length: 200 }, (_, i) => `${id}-${i}`);
      expect(await storage.tally(handed, [service])).toEqual(EXACT);
      expect(second.stats()).toMatchObject({ acked: 80, resent: 0 });
      // The second process continued the stream: batches of ≤ 50 numbered on from the first's.
      expect(await producerLastSeq(service.wsUrl(), SERVICE_KEY.key, id)).toBeGreaterThanOrEqual(5);
    });
  },
);

describe('a producer moved between two instances sharing Redis', () => {
  it('postgres: stores every entry once, in order, when A is killed -9 and B takes over', async () => {
    const redis = await startRedis();
    const env = { ...(await STORAGES[1][1].env()), REDIS_URL: redis.url, ...SHORT_DRAIN };
    let a: ServiceProcess = await startService({ env });
    const b = await startService({ env });
    const id = uniqueId('move-pg').slice(0, 60);
    const producer = new SteadyProducer(producerSdk([a.wsUrl(), b.wsUrl()], id), id);
    const connected: string[] = [];
    producer.logger.on('connected', (c) => connected.push(c.url));

    await producer.reach(1500);
    await a.kill9();
    a = await restartService(a);
    await producer.reach(3000);
    await producer.stop();

    const t = await STORAGES[1][1].tally(producer.handed, [a, b]);
    report('postgres moved A→B (kill -9)', producer, t);
    // The stream went on at B, which learned its lastSeq (and epoch) from Redis.
    expect(connected.slice(0, 2)).toEqual([a.wsUrl(), b.wsUrl()]);
    expect(t).toEqual(EXACT);
  });

  it('file: stores every entry once, in order, when A is restarted with SIGTERM', async () => {
    const redis = await startRedis();
    const env = { REDIS_URL: redis.url, ...SHORT_DRAIN };
    let a: ServiceProcess = await startService({ env });
    const b = await startService({ env });
    const id = uniqueId('move-file').slice(0, 60);
    const producer = new SteadyProducer(producerSdk([a.wsUrl(), b.wsUrl()], id), id);

    await producer.reach(1500);
    await a.stop('SIGTERM');
    a = await restartService(a);
    await producer.reach(3000);
    await producer.stop();

    const t = await tallyStored(producer.handed, [a.logDir, b.logDir]);
    report('file moved A→B (SIGTERM)', producer, t);
    expect(t).toEqual(EXACT);
  });
});

describe('a kill -9 after a batch was stored, before its ack left', () => {
  const producerHeaders = (producerId: string) => ({
    'x-api-key': SERVICE_KEY.key,
    'x-producer-id': producerId,
  });

  /** Polls until every id is stored (per `read`), then returns. */
  async function untilStored(ids: string[], read: () => Promise<string[]>): Promise<void> {
    for (let i = 0; i < 1000; i++) {
      const stored = new Set(await read());
      if (ids.every((id) => stored.has(id))) return;
      await sleep(5);
    }
    throw new Error('the batch was never stored');
  }

  it('file: the note written before the append is the record: hello reports the batch', async () => {
    let service = await startService();
    const id = uniqueId('window-file').slice(0, 60);
    const client = await openClient(service.wsUrl(), { headers: producerHeaders(id) });
    await client.next(1);
    const batch = Array.from({ length: 20 }, () => validEntry());
    const ids = batch.map((e) => e.correlationId!);

    client.send(batchFrame(1, batch));
    await untilStored(ids, async () =>
      (await readStored(service.logDir)).map((e) => e.correlationId),
    );
    await service.kill9();
    service = await restartService(service);

    // Whether or not its ack had left, the batch counts as stored: a resend is a duplicate.
    const again = await openClient(service.wsUrl(), { headers: producerHeaders(id) });
    const [hello] = await again.next(1);
    expect(hello.data).toEqual({ producerId: id, lastSeq: 1 });
    again.send(batchFrame(1, batch));
    const [, ack] = await again.next(2);
    expect(ack.data).toEqual({ seq: 1, accepted: 0, duplicate: true });
    const t = tally(
      ids,
      (await readStored(service.logDir)).map((e) => e.correlationId),
    );
    expect(t).toEqual(EXACT);
  });

  it('postgres: a batch stored but not recorded (Redis writes paused) is resent as a no-op', async () => {
    const redis = await startRedis();
    const env = { ...(await STORAGES[1][1].env()), REDIS_URL: redis.url };
    let service = await startService({ env });
    const control = await redis.client();
    const id = uniqueId('window-pg').slice(0, 60);
    const client = await openClient(service.wsUrl(), { headers: producerHeaders(id) });
    await client.next(1);
    const batch = Array.from({ length: 20 }, () => validEntry());
    const ids = batch.map((e) => e.correlationId!);

    // Arrange: the seq's record (a Redis write) cannot happen; the entries reach PostgreSQL.
    await control.call('CLIENT', 'PAUSE', '30000', 'WRITE');
    client.send(batchFrame(1, batch));
    await untilStored(ids, () => tableCorrelationIds(db!));
    await sleep(100);
    expect(client.replies).toHaveLength(1); // hello only: no ack left
    await service.kill9();
    await control.call('CLIENT', 'UNPAUSE');
    service = await restartService(service);

    // Act: the stream's record says nothing was stored; the producer resends batch 1.
    const again = await openClient(service.wsUrl(), { headers: producerHeaders(id) });
    const [hello] = await again.next(1);
    again.send(batchFrame(1, batch));
    const [, ack] = await again.next(2);

    // Assert: acked as stored, and stored once (the same ids as the first write).
    expect(hello.data).toEqual({ producerId: id, lastSeq: 0 });
    expect(ack.data).toMatchObject({ seq: 1, accepted: 20 });
    expect(tally(ids, await tableCorrelationIds(db!))).toEqual(EXACT);
  });
});
