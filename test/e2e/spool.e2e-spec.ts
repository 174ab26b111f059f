import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { batchFrame, validEntry } from '../support/entries.js';
import { freePort } from '../support/free-port.js';
import { httpGet } from '../support/http-get.js';
import { startPostgres, stopAllPostgres, type PostgresServer } from '../support/postgres-server.js';
import { startRedis, stopAllRedis, type RedisServer } from '../support/redis-server.js';
import { SERVICE_KEY, startService, stopAllServices } from '../support/service-process.js';
import { smallDisk, type SmallDisk } from '../support/small-disk.js';
import {
  streamCorrelationIds,
  tableCorrelationIds,
  waitForCount,
} from '../support/stored-remote.js';
import { openClient, terminateAllClients, type WsClient } from '../support/ws-client.js';

/** SPEC §5 spool: it outlives the process (replayed at the next boot), and a full one says 503. */

jest.setTimeout(60_000);

const FAST_BREAKER = { STORAGE_WRITE_TIMEOUT_MS: '400', BREAKER_HALF_OPEN_MS: '200' };

/** Sends `frames` batches of `size` entries one after the other; the ids of each frame. */
async function sendBatches(client: WsClient, tag: string, frames: number, size: number) {
  const sent: string[][] = [];
  for (let f = 0; f < frames; f++) {
    const ids = Array.from({ length: size }, (_, i) => `${tag}-${f}-${i}`);
    sent.push(ids);
    client.send(
      batchFrame(
        f + 1,
        ids.map((id) => validEntry({ correlationId: id })),
      ),
    );
    await client.next(f + 1, 20_000);
  }
  return sent;
}

const connect = (url: string) => openClient(url, { headers: { 'x-api-key': SERVICE_KEY.key } });

afterEach(async () => {
  terminateAllClients();
  await stopAllServices();
  await Promise.all([stopAllRedis(), stopAllPostgres()]);
});

describe('a spool left by a killed service', () => {
  let spoolDir: string;

  beforeEach(async () => {
    spoolDir = await mkdtemp(join(tmpdir(), 'logger-spool-e2e-'));
  });

  afterEach(() => rm(spoolDir, { recursive: true, force: true }));

  it.each(['redis', 'postgres'] as const)(
    'is replayed by the next process: %s then holds every acked entry once, in order',
    async (kind) => {
      // Arrange: the backend is down while the first process acks from its spool
      const backend: RedisServer | PostgresServer =
        kind === 'redis' ? await startRedis({ persistent: true }) : await startPostgres();
      const url = { redis: { REDIS_URL: backend.url }, postgres: { DATABASE_URL: backend.url } };
      const env = { STORAGE: kind, SPOOL_DIR: spoolDir, ...url[kind], ...FAST_BREAKER };
      await backend.kill();
      const first = await startService({ env });
      const sent = await sendBatches(await connect(first.wsUrl()), `boot-${kind}`, 20, 25);

      // Act: kill -9, backend back, a new process on the same spool
      await first.kill9();
      const segmentsLeft = spoolSegments(spoolDir, kind);
      await backend.restart();
      await startService({ env });
      const read =
        kind === 'redis'
          ? async () => streamCorrelationIds(await (backend as RedisServer).client())
          : async () => tableCorrelationIds(await (backend as PostgresServer).client());
      await waitForCount(async () => (await read()).length, 500);

      // Assert
      const acked = sent.flat();
      expect(segmentsLeft.length).toBeGreaterThan(0);
      expect(await read()).toEqual(acked);
    },
  );
});

describe('a spool of a worker that no longer exists (WORKERS shrank)', () => {
  let spoolDir: string;

  beforeEach(async () => {
    spoolDir = await mkdtemp(join(tmpdir(), 'logger-spool-e2e-'));
  });

  afterEach(() => rm(spoolDir, { recursive: true, force: true }));

  it('is replayed by a single process: Redis then holds every entry the 3 workers acked', async () => {
    // Arrange: Redis down while WORKERS=3 acks from its workers' spools (connections spread
    // round-robin over the workers, so each spools some)
    const redis = await startRedis({ persistent: true });
    const env = { STORAGE: 'redis', REDIS_URL: redis.url, SPOOL_DIR: spoolDir, ...FAST_BREAKER };
    await redis.kill();
    const cluster = await startService({ env: { ...env, WORKERS: '3' } });
    const clients = await Promise.all(Array.from({ length: 9 }, () => connect(cluster.wsUrl())));
    const sent = await Promise.all(clients.map((c, i) => sendBatches(c, `shrink-${i}`, 4, 25)));
    const exit = await cluster.stop('SIGTERM');
    const workerSpools = readdirSync(spoolDir).filter((n) => n.startsWith('worker-'));

    // Act: Redis back, WORKERS=1 on the same spool directory
    await redis.restart();
    await startService({ env: { ...env, WORKERS: '1' } });
    const client = await redis.client();
    await waitForCount(async () => (await streamCorrelationIds(client)).length, 900);

    // Assert: every acked entry once; no worker directory left behind
    expect(exit).toEqual({ code: 0, signal: null });
    expect(workerSpools.sort()).toEqual(['worker-1', 'worker-2']);
    const stored = await streamCorrelationIds(client);
    expect(stored).toHaveLength(900);
    expect(new Set(stored)).toEqual(new Set(sent.flat(2)));
    expect(readdirSync(spoolDir).filter((n) => n.startsWith('worker-'))).toEqual([]);
  });
});

describe('a SIGTERM while the database hangs', () => {
  let spoolDir: string;

  beforeEach(async () => {
    spoolDir = await mkdtemp(join(tmpdir(), 'logger-spool-e2e-'));
  });

  afterEach(() => rm(spoolDir, { recursive: true, force: true }));

  it('exits 0 within its budget, keeping the spool, which the next process replays', async () => {
    // Arrange: one batch stored directly, then the database hangs (SIGSTOP) and ten are spooled
    const postgres = await startPostgres();
    const env = {
      STORAGE: 'postgres',
      DATABASE_URL: postgres.url,
      SPOOL_DIR: spoolDir,
      ...FAST_BREAKER,
    };
    const first = await startService({ env });
    const client = await connect(first.wsUrl());
    const stored = await sendBatches(client, 'term-a', 1, 25);
    postgres.pause();
    const spooled = await sendBatches(client, 'term-b', 10, 25);

    // Act
    const exit = await first.stop('SIGTERM');
    postgres.resume();
    await startService({ env });
    const db = await postgres.client();
    await waitForCount(async () => (await tableCorrelationIds(db)).length, 275);

    // Assert
    expect(exit).toEqual({ code: 0, signal: null });
    expect(await tableCorrelationIds(db)).toEqual([...stored, ...spooled].flat());
  });
});

describe('a full spool disk while the backend is down', () => {
  let disk: SmallDisk;

  beforeEach(async () => {
    disk = await smallDisk(1 << 20);
  });

  afterEach(() => disk.release());

  it('answers 503 and is not ready; what it acked is stored once the backend returns', async () => {
    // Arrange: nothing listens on the Redis port yet
    const port = await freePort();
    const service = await startService({
      env: {
        STORAGE: 'redis',
        REDIS_URL: `redis://127.0.0.1:${port}`,
        ...disk.env,
        ...FAST_BREAKER,
      },
    });
    const client = await connect(service.wsUrl());
    const storage = (body: unknown) =>
      (body as { details: { storage: { status: string } } }).details.storage;
    const readyBefore = await httpGet(`${service.httpUrl}/health/ready`);

    // Act: 500-entry batches (~200 KB each) until one is refused
    const acked: string[] = [];
    let refused: { status?: number } | undefined;
    for (let f = 0; f < 40 && !refused; f++) {
      const ids = Array.from({ length: 500 }, (_, i) => `full-${f}-${i}`);
      client.send(
        batchFrame(
          f + 1,
          ids.map((id) => validEntry({ correlationId: id })),
        ),
      );
      const [reply] = (await client.next(f + 1, 20_000)).slice(-1);
      if (reply.event === 'ack') acked.push(...ids);
      else refused = reply.data;
    }
    const readyFull = await httpGet(`${service.httpUrl}/health/ready`);
    const redis = await startRedis({ port });
    const read = async () => streamCorrelationIds(await redis.client());
    await waitForCount(async () => (await read()).length, acked.length);
    const storageUp = async () =>
      storage((await httpGet(`${service.httpUrl}/health/ready`)).json).status === 'up' ? 1 : 0;
    const readyAgain = await waitForCount(storageUp, 1);

    // Assert
    expect(storage(readyBefore.json).status).toBe('up'); // down backend, spool fine: still ready
    expect(acked.length).toBeGreaterThan(0);
    expect(refused?.status).toBe(503);
    expect(readyFull.status).toBe(503);
    expect(storage(readyFull.json).status).toBe('down');
    expect(await read()).toEqual(acked);
    expect(readyAgain).toBe(1); // replaying freed the spool
    expect(existsSync(disk.dir)).toBe(true);
  });
});

/**
 * The segment files of `kind`'s spool: under SPOOL_DIR, and under SPOOL_DIR/worker-i for the
 * other workers when the spec runs against a cluster (E2E_WORKERS, README "Workers").
 */
function spoolSegments(spoolDir: string, kind: string): string[] {
  const workers = readdirSync(spoolDir).filter((name) => /^worker-\d+$/.test(name));
  return [kind, ...workers.map((w) => join(w, kind))].flatMap((dir) =>
    existsSync(join(spoolDir, dir)) ? readdirSync(join(spoolDir, dir)) : [],
  );
}
