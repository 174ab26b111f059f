import { jest } from '@jest/globals';
import fc from 'fast-check';
import { createLogger } from './index.js';
import { startFakeServer, type FakeAction } from './testing/fake-log-server.js';

/**
 * The resend logic against random faults: acks, refusals (429, 503, injected 409s), connections
 * dropped before or after storage, lagging hellos (duplicate acks), 1012 restarts and forgotten
 * streams (409 renumbering). Invariant: every entry handed over is acked exactly once from the
 * client's view; with producerId the server holds each exactly once, in hand-over order.
 */

jest.setTimeout(120_000);

const RUNS = Number(process.env.PBT_RUNS ?? 60);
const ALL: FakeAction[] = [
  'ack',
  '429',
  '503',
  '409',
  'kill-before',
  'kill-after',
  'kill-lagging',
  'restart',
  'forget',
];

const scenario = (actions: FakeAction[]) =>
  fc.record({
    entries: fc.integer({ min: 1, max: 60 }),
    batchSize: fc.integer({ min: 1, max: 8 }),
    lingerMs: fc.integer({ min: 0, max: 3 }),
    flushEvery: fc.integer({ min: 0, max: 30 }),
    plan: fc.array(fc.constantFrom(...actions), { maxLength: 30 }),
  });

type Scenario = { entries: number; batchSize: number; lingerMs: number; flushEvery: number };

async function run(s: Scenario, plan: FakeAction[], producerId?: string) {
  const server = await startFakeServer();
  server.plan(plan);
  const logger = createLogger({
    url: server.url,
    apiKey: 'k',
    project: 'p',
    system: 's',
    batchSize: s.batchSize,
    lingerMs: s.lingerMs,
    reconnect: { minDelayMs: 1, maxDelayMs: 4 },
    ...(producerId ? { producerId } : {}),
  });
  const rejected: unknown[] = [];
  logger.on('rejected', (r) => rejected.push(r));
  logger.on('error', () => undefined);
  const handed: string[] = [];
  try {
    for (let i = 0; i < s.entries; i++) {
      handed.push(`e${i}`);
      await logger.info('M', `e${i}`);
      if (s.flushEvery > 0 && i % s.flushEvery === s.flushEvery - 1) await logger.flush();
    }
    await logger.close();
    return { handed, stored: server.stored.map((e) => e.action), stats: logger.stats(), rejected };
  } finally {
    await server.stop();
  }
}

describe('resend logic (property)', () => {
  it('with producerId: every entry stored exactly once, in order; stats consistent', async () => {
    await fc.assert(
      fc.asyncProperty(scenario(ALL), async ({ plan, ...s }) => {
        const { handed, stored, stats, rejected } = await run(s, plan, 'pbt');

        expect(stored).toEqual(handed);
        expect(rejected).toEqual([]);
        expect(stats).toMatchObject({ acked: handed.length, rejected: 0, dropped: 0, buffered: 0 });
        expect(stats.sent).toBe(handed.length + stats.resent);
      }),
      { numRuns: RUNS },
    );
  });

  it('without producerId: every entry stored at least once, first copies in order', async () => {
    const ordered: FakeAction[] = ['ack', 'kill-before', 'kill-after', 'restart'];
    await fc.assert(
      fc.asyncProperty(scenario(ordered), async ({ plan, ...s }) => {
        const { handed, stored, stats } = await run(s, plan);

        expect([...new Set(stored)]).toEqual(handed);
        expect(stored.length - handed.length).toBeLessThanOrEqual(stats.resent);
        expect(stats).toMatchObject({ acked: handed.length, rejected: 0, dropped: 0, buffered: 0 });
        expect(stats.sent).toBe(handed.length + stats.resent);
      }),
      { numRuns: RUNS },
    );
  });
});
