import { jest } from '@jest/globals';
import type { Redis } from 'ioredis';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  openOn,
  openSpread,
  servingPids,
  startCluster,
  workerPids,
} from '../support/cluster-workers.js';
import { batchFrame, logFrame, validEntry } from '../support/entries.js';
import { httpRequest } from '../support/http-request.js';
import { startRedis, stopAllRedis, type RedisServer } from '../support/redis-server.js';
import {
  READER_KEY,
  SERVICE_KEY,
  stopAllServices,
  type ServiceProcess,
} from '../support/service-process.js';
import { ALICE, newSessionKey, putSession } from '../support/sessions.js';
import { pushedLogs, subscribe, until } from '../support/tail-client.js';
import { terminateAllClients, type WsClient } from '../support/ws-client.js';

/**
 * WORKERS=2 with a real throwaway Redis (README "Workers"): sessions, tail, stats and producer
 * state already live in Redis, so every worker shares them; these prove it across workers.
 */

jest.setTimeout(90_000);

let redis: RedisServer;
let admin: Redis;
let service: ServiceProcess;

beforeAll(async () => {
  redis = await startRedis();
  admin = await redis.client();
  service = await startCluster({ REDIS_URL: redis.url, SESSION_CACHE_MS: '1000' });
});

afterEach(() => terminateAllClients());

afterAll(async () => {
  await stopAllServices();
  await stopAllRedis();
});

it('revokes a deleted session on every worker: all its sockets close with 4401', async () => {
  const key = newSessionKey();
  await putSession(admin, key, ALICE);
  const doomed = await openSpread(service, 6, { 'x-api-key': key });
  const other = await openSpread(service, 2);
  await Promise.all(doomed.map((client) => (client.send(logFrame(validEntry())), client.next(1))));

  await admin.del(`session:${key}`);
  const codes = await Promise.all(doomed.map((client) => client.closed));
  other.forEach((client) => client.send(logFrame(validEntry())));
  const [otherAcks] = await Promise.all([Promise.all(other.map((c) => c.next(1)))]);

  expect(codes).toEqual(doomed.map(() => 4401));
  expect(otherAcks.map(([r]) => r.event)).toEqual(['ack', 'ack']);
});

it('tails every worker’s entries once on every worker, through Redis pub/sub', async () => {
  const subscribers = await openSpread(service, 2, { 'x-api-key': READER_KEY.key });
  const project = `w-redis-${Date.now()}`;
  await Promise.all(subscribers.map((s) => subscribe(s, { project })));
  const producers = await openSpread(service, 4);
  const sent = producers.map((_, p) =>
    Array.from({ length: 20 }, (_, i) => validEntry({ project, correlationId: `rt-${p}-${i}` })),
  );
  producers.forEach((producer, p) => producer.send(batchFrame(1, sent[p])));
  const expected = sent.flat().map((e) => e.correlationId!);
  const tailed = (s: WsClient) => pushedLogs(s).map((e) => String(e.correlationId));
  await until(() => subscribers.every((s) => tailed(s).length >= expected.length), 10_000);
  await sleep(200); // a duplicate would arrive right behind

  for (const s of subscribers) expect(tailed(s).sort()).toEqual([...expected].sort());
});

it('answers GET /stats from Redis with the same totals on every worker', async () => {
  const project = `w-stats-${Date.now()}`;
  const clients = await openSpread(service, 4);
  clients.forEach((client) =>
    client.send(
      batchFrame(
        1,
        Array.from({ length: 25 }, () => validEntry({ project })),
      ),
    ),
  );
  await Promise.all(clients.map((client) => client.next(1)));

  // Counts reach Redis within a second (the flush); each GET may land on either worker.
  const totals: number[] = [];
  for (
    let i = 0;
    i < 40 && !(totals.length >= 4 && totals.slice(-4).every((t) => t === 100));
    i++
  ) {
    const res = await httpRequest(`${service.httpUrl}/stats/${project}`, {
      headers: { 'x-api-key': READER_KEY.key },
    });
    totals.push((res.json as { total: number }).total);
    await sleep(100);
  }

  expect(totals.slice(-4)).toEqual([100, 100, 100, 100]);
});

it('resumes a producer stream on the other worker (state in Redis)', async () => {
  const producerId = `w-redis-${Date.now()}`;
  const headers = { 'x-api-key': SERVICE_KEY.key, 'x-producer-id': producerId };
  const [first] = await openSpread(service, 2, headers);
  await first.next(1);
  first.send(batchFrame(1, [validEntry()]));
  first.send(batchFrame(2, [validEntry()]));
  await first.next(3);
  const other = workerPids(service).find((pid) => pid !== servingPids(service, [first])[0])!;
  first.terminate();

  const second = await openOn(service, other, headers);
  const [hello] = await second.next(1);

  expect(hello.data).toEqual({ producerId, lastSeq: 2 });
});
