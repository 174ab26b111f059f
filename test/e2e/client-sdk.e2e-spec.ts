import { jest } from '@jest/globals';
import { createLogger, type Logger } from '@logger-service/client';
import { uniqueId } from '../support/entries.js';
import { tallyStored } from '../support/entry-tally.js';
import { SteadyProducer } from '../support/steady-producer.js';
import { restartService } from '../support/restart-service.js';
import {
  SERVICE_KEY,
  startService,
  stopAllServices,
  type ServiceProcess,
} from '../support/service-process.js';

/**
 * SPEC §9 against the real service (dist/main.js): the SDK keeps sending while the service is
 * killed with -9 or restarted with SIGTERM, on the same port and LOG_DIR; afterwards every entry
 * the SDK accepted is stored. Without producerId that is at least once (SPEC §8 is what makes
 * it exactly once), in order of first copies; a SIGTERM restart loses and duplicates nothing.
 */

jest.setTimeout(90_000);

afterAll(() => stopAllServices());

/**
 * A producer that never pauses keeps a draining connection busy until the shutdown budget runs
 * out (SPEC §7 reads until quiet): a short budget keeps the test short, the outcome the same.
 */
const SHORT_DRAIN = { env: { SHUTDOWN_TIMEOUT_MS: '4000' } };

function sdk(urls: string | string[]): Logger {
  const logger = createLogger({
    url: urls,
    apiKey: SERVICE_KEY.key,
    project: 'sdk-e2e',
    system: 'e2e',
    batchSize: 50,
    lingerMs: 5,
    // Block rather than drop while the service is away: every entry handed over must arrive.
    onFull: 'block',
    maxBuffered: 2000,
    reconnect: { minDelayMs: 20, maxDelayMs: 250 },
  });
  logger.on('error', () => undefined);
  return logger;
}

describe('the SDK against restarts of the real service', () => {
  it('loses nothing across two kill -9 restarts (at least once, first copies in order)', async () => {
    let service: ServiceProcess = await startService();
    const producer = new SteadyProducer(sdk(service.wsUrl()), uniqueId('kill'));
    const disconnects: number[] = [];
    producer.logger.on('disconnected', (d) => disconnects.push(d.code));

    for (const at of [1500, 4000]) {
      await producer.reach(at);
      await service.kill9();
      service = await restartService(service);
    }
    await producer.reach(6000);
    const seen = [...disconnects];
    await producer.stop();

    const tally = await tallyStored(producer.handed, [service.logDir]);
    const stats = producer.logger.stats();
    console.log(
      `kill -9 ×2: ${producer.handed.length} handed over, lost ${tally.lost.length}, ` +
        `duplicated ${tally.duplicated}, resent ${stats.resent}`,
    );
    expect(seen).toEqual([1006, 1006]);
    expect(tally.lost).toEqual([]);
    expect(tally.inOrder).toBe(true);
    expect(tally.duplicated).toBeLessThanOrEqual(stats.resent);
    expect(stats).toMatchObject({
      acked: producer.handed.length,
      rejected: 0,
      dropped: 0,
      buffered: 0,
    });
  });

  it('loses and duplicates nothing across a SIGTERM restart (every unacked frame resent)', async () => {
    let service: ServiceProcess = await startService(SHORT_DRAIN);
    const producer = new SteadyProducer(sdk(service.wsUrl()), uniqueId('term'));
    const disconnects: number[] = [];
    producer.logger.on('disconnected', (d) => disconnects.push(d.code));

    await producer.reach(2000);
    const exit = await service.stop('SIGTERM');
    service = await restartService(service);
    await producer.reach(4000);
    const seen = [...disconnects];
    await producer.stop();

    const tally = await tallyStored(producer.handed, [service.logDir]);
    console.log(
      `SIGTERM: ${producer.handed.length} handed over, lost ${tally.lost.length}, ` +
        `duplicated ${tally.duplicated}, resent ${producer.logger.stats().resent}`,
    );
    expect(exit.code).toBe(0);
    expect(seen).toEqual([1012]);
    expect(tally).toEqual({ lost: [], duplicated: 0, inOrder: true });
  });

  it('moves to the next url of its list when an instance goes away for good', async () => {
    const [a, b] = await Promise.all([startService(SHORT_DRAIN), startService()]);
    const producer = new SteadyProducer(sdk([a.wsUrl(), b.wsUrl()]), uniqueId('move'));
    const connected: string[] = [];
    producer.logger.on('connected', (c) => connected.push(c.url));

    await producer.reach(1000);
    await a.stop('SIGTERM');
    await producer.reach(2000);
    await producer.stop();

    const tally = await tallyStored(producer.handed, [a.logDir, b.logDir]);
    expect(connected).toEqual([a.wsUrl(), b.wsUrl()]);
    expect(tally.lost).toEqual([]);
    expect(tally.duplicated).toBe(0);
  });
});
