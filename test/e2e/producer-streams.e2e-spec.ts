import { jest } from '@jest/globals';
import { batchFrame, logFrame, validEntry, type EntryInput } from '../support/entries.js';
import { startRedis, stopAllRedis, type RedisServer } from '../support/redis-server.js';
import {
  SERVICE_KEY,
  READER_KEY,
  startService,
  stopAllServices,
  type ServiceProcess,
} from '../support/service-process.js';
import { byCorrelationId, readStored } from '../support/stored.js';
import {
  openClient,
  terminateAllClients,
  tryUpgrade,
  type WsClient,
} from '../support/ws-client.js';

/** SPEC §8 producer streams over real sockets: hello, seq rules, and state across restarts. */

jest.setTimeout(60_000);

const headers = (producerId?: string, key: string = SERVICE_KEY.key) => ({
  'x-api-key': key,
  ...(producerId ? { 'x-producer-id': producerId } : {}),
});

let n = 0;
const newProducerId = () => `p-${process.pid}-${Date.now()}-${++n}`;
const entries = (count: number) => Array.from({ length: count }, () => validEntry());

/** Opens a producer connection and returns it with its `hello`. */
async function openProducer(service: ServiceProcess, producerId: string, key?: string) {
  const client = await openClient(service.wsUrl(), { headers: headers(producerId, key) });
  const [hello] = await client.next(1);
  return { client, hello };
}

async function storedCount(service: ServiceProcess, batch: EntryInput[]): Promise<number[]> {
  const index = byCorrelationId(await readStored(service.logDir));
  return batch.map((e) => index.get(e.correlationId!)?.length ?? 0);
}

afterEach(() => terminateAllClients());
afterAll(async () => {
  await stopAllServices();
  await stopAllRedis();
});

describe('producer streams on file storage (state in LOG_DIR)', () => {
  let service: ServiceProcess;

  beforeAll(async () => {
    service = await startService();
  });

  it('says hello with lastSeq 0 to a new stream, and nothing to a plain connection', async () => {
    const id = newProducerId();
    const { hello } = await openProducer(service, id);
    const plain = await openClient(service.wsUrl(), { headers: headers() });
    plain.send(logFrame(validEntry()));
    const [first] = await plain.next(1);

    expect(hello).toEqual({ event: 'hello', data: { producerId: id, lastSeq: 0 } });
    expect(first.event).toBe('ack');
  });

  it('stores each seq once: a resend is a duplicate ack, a gap is 409 with expected', async () => {
    const { client } = await openProducer(service, newProducerId());
    const [one, two, four] = [entries(3), entries(2), entries(1)];

    client.send(batchFrame(1, one));
    client.send(batchFrame(2, two));
    client.send(batchFrame(2, two));
    client.send(batchFrame(4, four));
    client.send({ event: 'batch', data: { entries: entries(1) } });
    const replies = (await client.next(6)).slice(1);

    expect(replies[0].data).toMatchObject({ seq: 1, accepted: 3 });
    expect(replies[1].data).toMatchObject({ seq: 2, accepted: 2 });
    expect(replies[2]).toEqual({
      event: 'ack',
      data: { seq: 2, accepted: 0, duplicate: true },
    });
    expect(replies[3].data).toMatchObject({ status: 409, expected: 3 });
    expect(replies[4].data).toMatchObject({ status: 400 });
    expect(await storedCount(service, [...one, ...two, ...four])).toEqual([1, 1, 1, 1, 1, 0]);
  });

  it('tells a reconnecting producer its last stored seq; streams are per key name', async () => {
    const id = newProducerId();
    const first = await openProducer(service, id);
    first.client.send(batchFrame(1, entries(1)));
    first.client.send(batchFrame(2, entries(1)));
    await first.client.next(3);
    await first.client.close();

    const again = await openProducer(service, id);
    const otherKey = await openProducer(service, id, READER_KEY.key);

    expect(again.hello.data).toEqual({ producerId: id, lastSeq: 2 });
    expect(otherKey.hello.data).toEqual({ producerId: id, lastSeq: 0 });
  });

  it.each([
    ['a bad character', { 'x-producer-id': 'bad id!' }, {}],
    ['65 characters', { 'x-producer-id': 'p'.repeat(65) }, {}],
    ['header and query differing', { 'x-producer-id': 'one' }, { producerId: 'two' }],
    ['the query twice', {}, { producerId: ['one', 'one'] }],
  ])('refuses a producer id with %s with 400 before any upgrade', async (_, extra, query) => {
    const result = await tryUpgrade(service.wsUrl(), {
      headers: { 'x-api-key': SERVICE_KEY.key, ...extra },
      query,
    });
    expect(result.status).toBe(400);
  });
});

describe('producer state survives the service', () => {
  it('remembers the last seq across a SIGTERM restart and a kill -9 after the ack', async () => {
    const first = await startService();
    const sameDirs = { LOG_DIR: first.env.LOG_DIR, SPOOL_DIR: first.env.SPOOL_DIR };
    const id = newProducerId();
    const a = await openProducer(first, id);
    for (let seq = 1; seq <= 5; seq++) a.client.send(batchFrame(seq, entries(10)));
    await a.client.next(6);
    await first.stop('SIGTERM');

    const second = await startService({ env: sameDirs });
    const b = await openProducer(second, id);
    b.client.send(batchFrame(6, entries(10)));
    await b.client.next(2);
    await second.kill9();

    const third = await startService({ env: sameDirs });
    const c = await openProducer(third, id);

    expect(a.client.replies.slice(1).map((r) => r.data.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(b.hello.data).toEqual({ producerId: id, lastSeq: 5 });
    expect(c.hello.data).toEqual({ producerId: id, lastSeq: 6 });
  });
});

describe('producer streams across instances sharing Redis', () => {
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

  it('lets a producer move to another instance and resume exactly where it was', async () => {
    const id = newProducerId();
    const onA = await openProducer(a, id);
    const sent = [entries(5), entries(5), entries(5)];
    sent.forEach((batch, i) => onA.client.send(batchFrame(i + 1, batch)));
    await onA.client.next(4);
    onA.client.terminate();

    const onB = await openProducer(b, id);
    onB.client.send(batchFrame(3, sent[2]));
    onB.client.send(batchFrame(4, entries(5)));
    const replies: WsClient['replies'] = await onB.client.next(3);

    expect(onB.hello.data).toEqual({ producerId: id, lastSeq: 3 });
    expect(replies[1].data).toMatchObject({ seq: 3, accepted: 0, duplicate: true });
    expect(replies[2].data).toMatchObject({ seq: 4, accepted: 5 });
    expect(await storedCount(a, sent.flat())).toEqual(Array(15).fill(1));
  });

  it('refuses a producer handshake with 503 while Redis is down, plain ones still work', async () => {
    await redis.kill();
    const producer = await tryUpgrade(b.wsUrl(), { headers: headers(newProducerId()) });
    const plain = await tryUpgrade(b.wsUrl(), { headers: headers() });
    await redis.restart();

    expect(producer.status).toBe(503);
    expect(plain.status).toBe(101);
  });
});
