import { setTimeout as sleep } from 'node:timers/promises';
import { jest } from '@jest/globals';
import { batchFrame, logFrame, uniqueId, validEntry, type EntryInput } from '../support/entries.js';
import { httpGet } from '../support/http-get.js';
import { postLogs } from '../support/http-request.js';
import { parsePrometheus, sampleValue } from '../support/prometheus.js';
import { startRedis, stopAllRedis, type RedisServer } from '../support/redis-server.js';
import {
  READER_KEY,
  SERVICE_KEY,
  startService,
  stopAllServices,
  type ServiceProcess,
} from '../support/service-process.js';
import { byCorrelationId, readStored } from '../support/stored.js';
import { pushedLogs, repliesOf, subscribe, until } from '../support/tail-client.js';
import { clientFrame } from '../support/ws-frame.js';
import {
  openClient,
  terminateAllClients,
  tryUpgrade,
  type WsClient,
} from '../support/ws-client.js';

/** SPEC §3 live tail over real sockets: filters, scope, order, slow subscribers, many instances. */

jest.setTimeout(60_000);

const reader = (service: ServiceProcess) =>
  openClient(service.wsUrl(), { headers: { 'x-api-key': READER_KEY.key } });
const producer = (service: ServiceProcess) =>
  openClient(service.wsUrl(), { headers: { 'x-api-key': SERVICE_KEY.key } });

/** Sends entries as log frames and waits for all their acks. */
async function ingest(client: WsClient, entries: EntryInput[]): Promise<void> {
  const before = repliesOf(client, 'ack').length;
  for (const entry of entries) client.send(logFrame(entry));
  await until(() => repliesOf(client, 'ack').length >= before + entries.length);
  expect(repliesOf(client, 'ack').length).toBe(before + entries.length);
}

const idsOf = (client: WsClient) => pushedLogs(client).map((e) => e.correlationId as string);

afterEach(() => terminateAllClients());
afterAll(async () => {
  await stopAllServices();
  await stopAllRedis();
});

describe('live tail, one instance without Redis', () => {
  let service: ServiceProcess;

  beforeAll(async () => {
    service = await startService();
  });

  it('echoes the filter and pushes exactly the matching stored entries, in store order', async () => {
    const tail = await reader(service);
    const subscribed = await subscribe(tail, { project: 'tail-a', level: 'error' });
    const sender = await producer(service);
    const entries = [
      validEntry({ project: 'tail-a', level: 'error' }),
      validEntry({ project: 'tail-a', level: 'info' }),
      validEntry({ project: 'tail-b', level: 'error' }),
      validEntry({ project: 'tail-a', level: 'error', errorCode: 7 }),
    ];

    await ingest(sender, entries);
    await until(() => pushedLogs(tail).length >= 2);

    expect(subscribed).toEqual({
      event: 'subscribed',
      data: { filter: { level: 'error', project: 'tail-a' } },
    });
    expect(idsOf(tail)).toEqual([entries[0].correlationId, entries[3].correlationId]);
    // The pushed entry is the stored one, field for field.
    const stored = byCorrelationId(await readStored(service.logDir));
    expect(pushedLogs(tail)[1]).toEqual(stored.get(entries[3].correlationId!)![0]);
  });

  it.each(['project', 'system', 'module', 'level', 'correlationId'] as const)(
    'filters on %s alone',
    async (field) => {
      const wanted = field === 'level' ? 'warning' : uniqueId(field);
      const tail = await reader(service);
      await subscribe(tail, { [field]: wanted });
      const sender = await producer(service);
      const match = validEntry({ [field]: wanted });
      const other = validEntry({ [field]: field === 'level' ? 'error' : uniqueId('other') });

      await ingest(sender, [other, match, other]);
      await until(() => pushedLogs(tail).length >= 1);

      expect(idsOf(tail)).toEqual([match.correlationId]);
    },
  );

  it('replaces the filter with a second subscribe, and stops with unsubscribe', async () => {
    const tail = await reader(service);
    const witness = await reader(service);
    const project = uniqueId('replace');
    await subscribe(tail, { project, system: 'one' });
    await subscribe(witness, { project });
    const sender = await producer(service);
    const one = validEntry({ project, system: 'one' });
    const two = validEntry({ project, system: 'two' });

    await ingest(sender, [one, two]);
    await until(() => pushedLogs(witness).length >= 2);
    await subscribe(tail, { project, system: 'two' });
    await ingest(sender, [one, two]);
    await until(() => pushedLogs(witness).length >= 4);
    tail.send({ event: 'unsubscribe' });
    await until(() => repliesOf(tail, 'unsubscribed').length === 1);
    await ingest(sender, [one, two]);
    await until(() => pushedLogs(witness).length >= 6);

    expect(idsOf(tail)).toEqual([one.correlationId, two.correlationId]);
    expect(repliesOf(tail, 'unsubscribed')).toEqual([{ event: 'unsubscribed', data: {} }]);
  });

  it('applies subscribe and unsubscribe in frame order, even when both come in one read', async () => {
    const tail = await reader(service);
    const witness = await reader(service);
    const project = uniqueId('order');
    await subscribe(witness, { project });
    tail.writeRaw(
      Buffer.concat([
        clientFrame(JSON.stringify({ event: 'subscribe', data: { project } })),
        clientFrame(JSON.stringify({ event: 'unsubscribe' })),
      ]),
    );
    await tail.next(2);
    const sender = await producer(service);

    await ingest(sender, [validEntry({ project })]);
    await until(() => pushedLogs(witness).length >= 1);

    expect(tail.replies.slice(0, 2).map((r) => r.event)).toEqual(['subscribed', 'unsubscribed']);
    expect(pushedLogs(witness)).toHaveLength(1);
    expect(pushedLogs(tail)).toHaveLength(0);
  });

  it('refuses subscribe without the read scope with 403, and the socket goes on', async () => {
    const client = await producer(service);

    client.send({ event: 'subscribe', data: {} });
    client.send({ event: 'unsubscribe' });
    client.send(logFrame(validEntry()));
    const replies = await client.next(3);

    expect(replies.map((r) => r.data.status ?? r.event)).toEqual([403, 403, 'ack']);
  });

  it.each([
    ['an unknown field', { levle: 'error' }],
    ['a wrong type', { project: 42 }],
    ['a level that is not one', { level: 'debug' }],
    ['data that is a list', ['project']],
  ])('answers a filter with %s with 400', async (_, filter) => {
    const tail = await reader(service);

    const reply = await subscribe(tail, filter);

    expect(reply.event).toBe('error');
    expect(reply.data.status).toBe(400);
  });

  it('keeps acks in frame order on a socket that ingests and subscribes', async () => {
    const both = await reader(service);
    const project = uniqueId('both');
    await subscribe(both, { project });
    const entries = Array.from({ length: 50 }, () => validEntry({ project }));

    both.send(batchFrame(1, entries.slice(0, 25)));
    entries.slice(25).forEach((e) => both.send(logFrame(e)));
    both.send(batchFrame(2, [validEntry()]));
    await until(() => pushedLogs(both).length >= 50 && repliesOf(both, 'ack').length >= 27);

    const acks = repliesOf(both, 'ack').map((r) => r.data.seq ?? 'log');
    expect(acks).toEqual([1, ...entries.slice(25).map(() => 'log'), 2]);
    expect(idsOf(both)).toEqual(entries.map((e) => e.correlationId));
  });
});

describe('live tail, slow subscribers', () => {
  let service: ServiceProcess;

  beforeAll(async () => {
    service = await startService({ env: { TAIL_MAX_BUFFERED_BYTES: '65536' } });
  });

  it('drops for a stalled subscriber only, tells it how many, and producers keep acking', async () => {
    const stalled = await reader(service);
    const healthy = await reader(service);
    const project = uniqueId('slow');
    await subscribe(stalled, { project });
    await subscribe(healthy, { project });
    const socket = (stalled.ws as unknown as { _socket: { pause(): void; resume(): void } })
      ._socket;
    socket.pause();
    const sender = await producer(service);
    const entries = Array.from({ length: 10_000 }, () =>
      validEntry({ project, errorMessage: 'x'.repeat(1000) }),
    );

    // Paced (5k entries/s, 6.5 MB/s), so that a subscriber that reads keeps up, and the 13 MB in
    // all overflow what the kernel buffers for the one that does not.
    for (let i = 0; i < entries.length; i += 250) {
      sender.send(batchFrame(i, entries.slice(i, i + 250)));
      await sleep(50);
    }
    await until(() => repliesOf(sender, 'ack').length >= 40, 20_000);
    await until(() => pushedLogs(healthy).length >= entries.length, 20_000);
    socket.resume();
    await until(() => repliesOf(stalled, 'dropped').length > 0, 10_000);

    expect(repliesOf(sender, 'ack').map((r) => r.data.accepted)).toEqual(Array(40).fill(250));
    expect(pushedLogs(healthy).length).toBe(entries.length);
    expect(repliesOf(healthy, 'dropped').length).toBe(0);
    const dropped = repliesOf(stalled, 'dropped').reduce((n, r) => n + Number(r.data.count), 0);
    expect(dropped).toBeGreaterThan(0);
    // Every entry was either pushed or counted as dropped, never both, never lost silently.
    await until(() => pushedLogs(stalled).length + dropped >= entries.length, 10_000);
    const total =
      pushedLogs(stalled).length +
      repliesOf(stalled, 'dropped').reduce((n, r) => n + Number(r.data.count), 0);
    expect(total).toBe(entries.length);
  });
});

describe('live tail across two instances sharing Redis', () => {
  let redis: RedisServer;
  let a: ServiceProcess;
  let b: ServiceProcess;

  beforeAll(async () => {
    redis = await startRedis();
    [a, b] = await Promise.all([
      startService({ env: { REDIS_URL: redis.url } }),
      startService({ env: { REDIS_URL: redis.url } }),
    ]);
  });

  it('delivers what either instance stored, exactly once each, in store order', async () => {
    const project = uniqueId('cross');
    const onA = await reader(a);
    const onB = await reader(b);
    await subscribe(onA, { project });
    await subscribe(onB, { project });
    const [toA, toB] = [await producer(a), await producer(b)];
    const fromA = Array.from({ length: 300 }, () => validEntry({ project, system: 'a' }));
    const fromB = Array.from({ length: 300 }, () => validEntry({ project, system: 'b' }));

    await Promise.all([ingest(toA, fromA), ingest(toB, fromB)]);
    await until(() => pushedLogs(onA).length >= 600 && pushedLogs(onB).length >= 600);

    for (const tail of [onA, onB]) {
      const ids = idsOf(tail);
      expect(ids).toHaveLength(600);
      expect(new Set(ids).size).toBe(600);
      const bySystem = (s: string) =>
        pushedLogs(tail)
          .filter((e) => e.system === s)
          .map((e) => e.correlationId);
      expect(bySystem('a')).toEqual(fromA.map((e) => e.correlationId));
      expect(bySystem('b')).toEqual(fromB.map((e) => e.correlationId));
    }
  });

  it("sends an instance's first subscribed only once Redis confirmed the SUBSCRIBE", async () => {
    // Each round B has no subscriber before (so its bus is unsubscribed), and the entry leaves
    // for A the moment `subscribed` arrives: it must still be pushed.
    const sender = await producer(a);
    for (let round = 0; round < 10; round++) {
      const project = uniqueId('first');
      const entry = validEntry({ project });
      const tail = await reader(b);
      const sent = new Promise<void>((resolve) =>
        tail.ws.on('message', (data: Buffer) => {
          if (!data.toString().startsWith('{"event":"subscribed"')) return;
          sender.send(logFrame(entry));
          resolve();
        }),
      );
      tail.send({ event: 'subscribe', data: { project } });
      await sent;
      await until(() => idsOf(tail).length > 0);

      expect(idsOf(tail)).toEqual([entry.correlationId]);
      await tail.close();
      await sleep(50); // B sees the close and unsubscribes from the channel
    }
  });

  it('says the tail is degraded while Redis is down, keeps ingesting, and resumes by itself', async () => {
    const project = uniqueId('outage');
    const tail = await reader(b);
    await subscribe(tail, { project });
    const sender = await producer(a);

    await redis.kill();
    await until(() => repliesOf(tail, 'error').length > 0, 10_000);
    await ingest(sender, [validEntry({ project })]);
    await redis.restart();
    const after = validEntry({ project });
    // Pub/sub resubscribes by itself; send until the tail sees an entry again.
    let probes = 0;
    await until(() => {
      if (pushedLogs(tail).length === 0) {
        sender.send(logFrame(validEntry({ project })));
        probes++;
      }
      return pushedLogs(tail).length > 0;
    }, 20_000);
    // The probes' acks first, so that ingest() below counts only its own.
    await sender.next(1 + probes);
    await ingest(sender, [after]);
    await until(() => idsOf(tail).includes(after.correlationId!));

    expect(repliesOf(tail, 'error')[0].data).toMatchObject({ status: 503 });
    expect(String(repliesOf(tail, 'error')[0].data.message)).toMatch(/degraded/);
    expect(idsOf(tail)).toContain(after.correlationId);
  });
});

describe('fairness: per-key rate limit', () => {
  let service: ServiceProcess;
  const other = { name: 'other-svc', key: 'other-key-0123456789abcdef' };

  beforeAll(async () => {
    service = await startService({
      env: {
        API_KEYS: `${SERVICE_KEY.name}:${SERVICE_KEY.key},${other.name}:${other.key}`,
        RATE_LIMIT_ENTRIES_PER_S: '10',
        RATE_LIMIT_BURST: '100',
      },
    });
  });

  it('answers 429 with retryAfterMs over the rate, stores nothing of it, and spares other keys', async () => {
    const noisy = await producer(service);
    const quiet = await openClient(service.wsUrl(), { headers: { 'x-api-key': other.key } });
    const burst = Array.from({ length: 100 }, () => validEntry());
    const over = Array.from({ length: 50 }, () => validEntry());
    const single = validEntry();
    const spared = validEntry();

    noisy.send(batchFrame(1, burst));
    noisy.send(batchFrame(2, over));
    noisy.send(logFrame(single));
    quiet.send(logFrame(spared));
    const replies = await noisy.next(3);
    await quiet.next(1);

    expect(replies[0].data).toMatchObject({ seq: 1, accepted: 100 });
    expect(replies[1].data).toMatchObject({ status: 429 });
    expect(replies[1].data.retryAfterMs).toBeGreaterThan(0);
    expect(replies[2].data).toMatchObject({ status: 429 });
    expect(quiet.replies[0]).toEqual({ event: 'ack', data: { accepted: 1 } });
    const stored = byCorrelationId(await readStored(service.logDir));
    expect([...over, single].filter((e) => stored.has(e.correlationId!))).toEqual([]);
    expect(stored.get(spared.correlationId!)).toHaveLength(1);
  });
});

describe('fairness over HTTP: the same buckets as the WebSocket', () => {
  it('answers POST /logs over the rate with 429 and retryAfterMs, storing nothing of it', async () => {
    const service = await startService({
      env: { RATE_LIMIT_ENTRIES_PER_S: '10', RATE_LIMIT_BURST: '20' },
    });
    const ws = await producer(service);
    const burst = Array.from({ length: 20 }, () => validEntry());
    ws.send(batchFrame(1, burst));
    await ws.next(1);
    const over = [validEntry(), validEntry()];

    const res = await postLogs(service.httpUrl, SERVICE_KEY.key, [
      over.map((e) => JSON.stringify(e)).join('\n'),
    ]);

    expect(ws.replies[0].data).toMatchObject({ seq: 1, accepted: 20 });
    expect(res.status).toBe(429);
    expect(res.json).toMatchObject({ status: 429 });
    expect((res.json as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(0);
    const stored = byCorrelationId(await readStored(service.logDir));
    expect(over.filter((e) => stored.has(e.correlationId!))).toEqual([]);
    const metrics = parsePrometheus(String((await httpGet(`${service.httpUrl}/metrics`)).body));
    expect(sampleValue(metrics, 'logger_rate_limited_total')).toBe(2);
  });
});

describe('tail metrics', () => {
  it('reports subscribers and the entries dropped for slow ones', async () => {
    const service = await startService();
    const tails = [await reader(service), await reader(service)];
    for (const tail of tails) await subscribe(tail, { project: 'metrics' });

    const metrics = parsePrometheus(String((await httpGet(`${service.httpUrl}/metrics`)).body));

    expect(sampleValue(metrics, 'logger_tail_subscribers')).toBe(2);
    expect(sampleValue(metrics, 'logger_tail_dropped_total')).toBe(0);
  });
});

describe('tail sockets count as connections', () => {
  it('refuses the upgrade over WS_MAX_CONNECTIONS with 503 when subscribers hold the slots', async () => {
    const service = await startService({ env: { WS_MAX_CONNECTIONS: '2' } });
    const tails = [await reader(service), await reader(service)];
    for (const tail of tails) await subscribe(tail, {});

    const openBefore = tails.map((t) => t.ws.readyState);
    const refused = await tryUpgrade(service.wsUrl(), {
      headers: { 'x-api-key': SERVICE_KEY.key },
    });
    await tails[0].close();
    await until(() => false, 200);
    const admitted = await tryUpgrade(service.wsUrl(), {
      headers: { 'x-api-key': SERVICE_KEY.key },
    });

    expect(openBefore).toEqual([1, 1]);
    expect(refused.status).toBe(503);
    expect(admitted.status).toBe(101);
  });
});
