import { jest } from '@jest/globals';
import { createLogger, type Logger } from '@logger-service/client';
import { uniqueId } from '../support/entries.js';
import { tallyStored } from '../support/entry-tally.js';
import { SteadyProducer } from '../support/steady-producer.js';
import { startRedis, stopAllRedis } from '../support/redis-server.js';
import { restartService } from '../support/restart-service.js';
import {
  SERVICE_KEY,
  startService,
  stopAllServices,
  type ServiceProcess,
} from '../support/service-process.js';
import { producerLastSeq } from '../support/ws-client.js';

/**
 * SPEC §8 + §9 against the real service: with a producerId the SDK stores every entry it accepted,
 * in order, whatever kills or restarts the service meanwhile — on one instance (producer state in
 * the storage directory) and moved between two sharing Redis. A SIGTERM restart and a restarted
 * producer store exactly once. A kill -9 may land in the service's documented window (entries
 * written, seq not yet recorded: README "Producer streams"); then `hello` reports the seq before
 * it and the batch is stored twice. So after a kill the client-side invariant is asserted: nothing
 * lost, first copies in order, and no duplicate that the client did not resend on the service's
 * word; the figures are printed.
 */

jest.setTimeout(90_000);

afterAll(async () => {
  await stopAllServices();
  await stopAllRedis();
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

describe('producer streams through the SDK (exactly once)', () => {
  it('loses nothing across two kill -9 restarts; duplicates only what the service said it lacked', async () => {
    let service: ServiceProcess = await startService();
    const id = uniqueId('kill').slice(0, 60);
    const producer = new SteadyProducer(producerSdk(service.wsUrl(), id), id);

    for (const at of [1500, 4000]) {
      await producer.reach(at);
      await service.kill9();
      service = await restartService(service);
    }
    await producer.reach(6000);
    await producer.stop();

    const tally = await tallyStored(producer.handed, [service.logDir]);
    console.log(
      `producer kill -9 ×2: ${producer.handed.length} handed over, lost ${tally.lost.length}, ` +
        `duplicated ${tally.duplicated}, resent ${producer.logger.stats().resent}`,
    );
    expect(tally.lost).toEqual([]);
    expect(tally.inOrder).toBe(true);
    expect(tally.duplicated).toBeLessThanOrEqual(producer.logger.stats().resent);
    expect(producer.logger.stats()).toMatchObject({ acked: producer.handed.length, buffered: 0 });
  });

  it('stores every entry exactly once, in order, across a SIGTERM restart', async () => {
    let service: ServiceProcess = await startService({ env: SHORT_DRAIN });
    const id = uniqueId('term').slice(0, 60);
    const producer = new SteadyProducer(producerSdk(service.wsUrl(), id), id);

    await producer.reach(2000);
    await service.stop('SIGTERM');
    service = await restartService(service);
    await producer.reach(4000);
    await producer.stop();

    const tally = await tallyStored(producer.handed, [service.logDir]);
    console.log(
      `producer SIGTERM: ${producer.handed.length} handed over, lost ${tally.lost.length}, ` +
        `duplicated ${tally.duplicated}`,
    );
    expect(tally).toEqual({ lost: [], duplicated: 0, inOrder: true });
  });

  it('moves between two instances sharing Redis (A killed -9) without losing an entry', async () => {
    const redis = await startRedis();
    const env = { REDIS_URL: redis.url, ...SHORT_DRAIN };
    let a: ServiceProcess = await startService({ env });
    const b = await startService({ env });
    const id = uniqueId('move').slice(0, 60);
    const producer = new SteadyProducer(producerSdk([a.wsUrl(), b.wsUrl()], id), id);
    const connected: string[] = [];
    producer.logger.on('connected', (c) => connected.push(c.url));

    await producer.reach(1500);
    await a.kill9();
    a = await restartService(a);
    await producer.reach(3000);
    await producer.stop();

    const tally = await tallyStored(producer.handed, [a.logDir, b.logDir]);
    console.log(
      `producer moved A→B (kill -9): ${producer.handed.length} handed over, ` +
        `lost ${tally.lost.length}, duplicated ${tally.duplicated}, ` +
        `resent ${producer.logger.stats().resent}`,
    );
    // The stream went on at B, which learned its lastSeq from Redis.
    expect(connected.slice(0, 2)).toEqual([a.wsUrl(), b.wsUrl()]);
    expect(tally.lost).toEqual([]);
    expect(tally.duplicated).toBeLessThanOrEqual(producer.logger.stats().resent);
  });

  it('a restarted producer process continues its stream after the hello lastSeq', async () => {
    const service = await startService();
    const id = uniqueId('again').slice(0, 60);
    const first = producerSdk(service.wsUrl(), id);
    for (let i = 0; i < 120; i++) await first.info('P', 'a', { correlationId: `${id}-${i}` });
    await first.close();

    const second = producerSdk(service.wsUrl(), id);
    for (let i = 120; i < 200; i++) await second.info('P', 'a', { correlationId: `${id}-${i}` });
    await second.close();

    const handed = Array.from({ length: 200 }, (_, i) => `${id}-${i}`);
    expect(await tallyStored(handed, [service.logDir])).toEqual({
      lost: [],
      duplicated: 0,
      inOrder: true,
    });
    expect(second.stats()).toMatchObject({ acked: 80, resent: 0 });
    // The second process continued the stream: batches of ≤ 50 numbered on from the first's.
    expect(await producerLastSeq(service.wsUrl(), SERVICE_KEY.key, id)).toBeGreaterThanOrEqual(5);
  });
});
