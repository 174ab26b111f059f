import { setTimeout as sleep } from 'node:timers/promises';
import { jest } from '@jest/globals';
import type { Redis } from 'ioredis';
import { ACK_ONE, batchFrame, logFrame, validEntry } from '../support/entries.js';
import { httpGet, type HttpResponse } from '../support/http-get.js';
import { startRedis, stopAllRedis, type RedisServer } from '../support/redis-server.js';
import { startService, stopAllServices, type ServiceProcess } from '../support/service-process.js';
import {
  ALICE,
  keyHashPrefix,
  newSessionKey,
  pollUntil,
  putSession,
  type Session,
} from '../support/sessions.js';
import { byCorrelationId, readStored } from '../support/stored.js';
import {
  openClient,
  terminateAllClients,
  tryUpgrade,
  type WsClient,
} from '../support/ws-client.js';

/**
 * SPEC §2 session keys, end to end: the built service, a real redis-server, real sockets.
 * Each describe block owns its Redis and its service, so one can be killed without the others.
 */

jest.setTimeout(30_000);

const SESSION_CACHE_MS = 1000;
/** Loose bound on revocation latency: the contract says SESSION_CACHE_MS; CI machines are slow. */
const REVOKE_BOUND_MS = 2 * SESSION_CACHE_MS;
const STATIC_KEY = 'static-key';

function bootService(redis: RedisServer, env: Record<string, string> = {}) {
  return startService({
    env: {
      REDIS_URL: redis.url,
      SESSION_CACHE_MS: String(SESSION_CACHE_MS),
      API_KEYS: `svc:${STATIC_KEY}`,
      ...env,
    },
  });
}

/** Opens a connection with `key` in `?apiKey=` (or the header) that must be accepted. */
function connect(service: ServiceProcess, key: string, via: 'query' | 'header' = 'query') {
  return via === 'query'
    ? openClient(service.wsUrl(), { query: { apiKey: key } })
    : openClient(service.wsUrl(), { headers: { 'x-api-key': key } });
}

/** Sends one valid `log` frame, waits for its ack, and returns the entry's correlationId. */
async function sendAcked(client: WsClient, over: Record<string, unknown> = {}): Promise<string> {
  const entry = validEntry(over);
  const before = client.replies.length;
  client.send(logFrame(entry));
  await client.next(before + 1);
  expect(client.raw[before]).toBe(ACK_ONE);
  return entry.correlationId!;
}

/** The close code, or 'still open' once `ms` passed: a failed revocation fails, never hangs. */
async function closeCodeWithin(client: WsClient, ms: number): Promise<number | 'still open'> {
  const cancel = new AbortController();
  const timer = sleep(ms, 'still open' as const, { signal: cancel.signal });
  try {
    return await Promise.race([client.closed, timer]);
  } finally {
    cancel.abort();
    timer.catch(() => undefined);
  }
}

/** Waits for the revocation of `client` and returns how long after `since` it came. */
async function expectRevoked(client: WsClient, since: number, boundMs: number): Promise<number> {
  const code = await closeCodeWithin(client, boundMs + 5000);
  const elapsed = Date.now() - since;
  expect(code).toBe(4401);
  expect(client.replies.at(-1)).toMatchObject({ event: 'error', data: { status: 401 } });
  expect(elapsed).toBeLessThanOrEqual(boundMs);
  return elapsed;
}

/** Stored entries of `ids`, each expected exactly once, stamped with `session` field for field. */
async function expectStoredWith(
  service: ServiceProcess,
  ids: readonly string[],
  session: Session,
): Promise<void> {
  const index = byCorrelationId(await readStored(service.logDir));
  for (const id of ids) {
    const found = index.get(id) ?? [];
    expect(found).toHaveLength(1);
    expect(JSON.stringify(found[0].activeSession)).toBe(JSON.stringify(session));
  }
}

function ready(service: ServiceProcess): Promise<HttpResponse> {
  return httpGet(`${service.httpUrl}/health/ready`, 3000);
}

afterEach(() => terminateAllClients());
afterAll(async () => {
  await stopAllServices();
  await stopAllRedis();
});

describe.each([
  { mode: 'keyspace notifications on', notifications: true },
  { mode: 'keyspace notifications off (recheck only)', notifications: false },
])('session keys, $mode', ({ notifications }) => {
  let redis: RedisServer;
  let admin: Redis;
  let service: ServiceProcess;

  beforeAll(async () => {
    redis = await startRedis({ notifications });
    admin = await redis.client();
    service = await bootService(redis);
  });

  afterAll(async () => {
    await service?.cleanup();
    await redis?.stop();
  });

  it('accepts a session key and stamps every entry with exactly the Redis session', async () => {
    // Arrange: the backend's field order and an extra field; the client claims another session
    const key = newSessionKey();
    const inRedis = {
      ipaddress: ALICE.ipaddress,
      role: 'admin',
      user: 'alice',
      timestamp: ALICE.timestamp,
    };
    await putSession(admin, key, inRedis);
    const forged = { user: 'mallory', timestamp: '2020-01-01T00:00:00Z', ipaddress: '6.6.6.6' };
    const client = await connect(service, key);

    // Act
    const single = await sendAcked(client, { activeSession: forged });
    const batch = [validEntry({ activeSession: forged }), validEntry()];
    client.send(batchFrame(1, batch));
    await client.next(2);

    // Assert
    expect(client.replies[1]).toEqual({
      event: 'ack',
      data: { seq: 1, accepted: 2, rejected: [] },
    });
    const ids = [single, ...batch.map((e) => e.correlationId!)];
    await expectStoredWith(service, ids, ALICE);
  });

  it('refuses a key without a session with 401, in the header or the query', async () => {
    const key = newSessionKey();

    const header = await tryUpgrade(service.wsUrl(), { headers: { 'x-api-key': key } });
    const query = await tryUpgrade(service.wsUrl(), { query: { apiKey: key } });

    expect([header.status, query.status]).toEqual([401, 401]);
  });

  it('refuses a malformed session with 401 and logs only a hash of the key', async () => {
    // Arrange
    const notJson = newSessionKey();
    const noIp = newSessionKey();
    await putSession(admin, notJson, '{"user":"alice",');
    await putSession(admin, noIp, { user: 'alice', timestamp: ALICE.timestamp });

    // Act
    const results = [
      await tryUpgrade(service.wsUrl(), { query: { apiKey: notJson } }),
      await tryUpgrade(service.wsUrl(), { headers: { 'x-api-key': noIp } }),
    ];
    const logs = () => Promise.resolve(service.stdout + service.stderr);
    const hashes = [keyHashPrefix(notJson), keyHashPrefix(noIp)];
    const logged = await pollUntil(logs, (text) => hashes.every((h) => text.includes(h)), 3000);

    // Assert: the warnings were written (with the hashes), and neither key is in any log line
    expect(results.map((r) => r.status)).toEqual([401, 401]);
    for (const hash of hashes) expect(logged).toContain(hash);
    expect(logged).not.toContain(notJson);
    expect(logged).not.toContain(noIp);
  });

  it('on DEL: acked frames are stored, then error 401 and close 4401 within SESSION_CACHE_MS', async () => {
    // Arrange
    const key = newSessionKey();
    await putSession(admin, key, ALICE);
    const client = await connect(service, key, 'header');
    const ids = [await sendAcked(client), await sendAcked(client)];

    // Act
    const since = Date.now();
    await admin.del(`session:${key}`);

    // Assert
    await expectRevoked(client, since, REVOKE_BOUND_MS);
    await expectStoredWith(service, ids, ALICE);
    const again = await tryUpgrade(service.wsUrl(), { query: { apiKey: key } });
    expect(again.status).toBe(401);
  });

  it('revokes a client that keeps sending: 401 before 4401, nothing after it stored', async () => {
    // Arrange: a client that sends 20 frames every 5 ms, before and during the revocation.
    const key = newSessionKey();
    await putSession(admin, key, ALICE);
    const client = await connect(service, key);
    const sent: string[] = [];
    const pump = setInterval(() => {
      for (let i = 0; i < 20; i++) {
        const entry = validEntry();
        sent.push(entry.correlationId!);
        client.send(logFrame(entry));
      }
    }, 5);
    await client.next(100);

    // Act
    await admin.del(`session:${key}`);
    const code = await closeCodeWithin(client, REVOKE_BOUND_MS + 5000);
    clearInterval(pump);

    // Assert: acks, then only 401s (the unsolicited one, then one per later frame), then 4401.
    expect(code).toBe(4401);
    const first401 = client.replies.findIndex((r) => r.event !== 'ack');
    expect(first401).toBeGreaterThanOrEqual(100);
    expect(client.replies.slice(first401).every((r) => r.data.status === 401)).toBe(true);
    const index = byCorrelationId(await readStored(service.logDir));
    expect(sent.slice(0, first401).filter((id) => index.get(id)?.length !== 1)).toEqual([]);
    expect(sent.slice(first401).filter((id) => index.has(id))).toEqual([]);
  });

  it('on expiry (PEXPIRE 300): error 401 and close 4401', async () => {
    // Arrange
    const key = newSessionKey();
    await putSession(admin, key, ALICE);
    const client = await connect(service, key);
    await sendAcked(client);

    // Act
    const since = Date.now();
    await admin.pexpire(`session:${key}`, 300);

    // Assert
    await expectRevoked(client, since, 300 + REVOKE_BOUND_MS);
  });

  it('revokes all 20 sockets of a key, and only those', async () => {
    // Arrange
    const [key, otherKey] = [newSessionKey(), newSessionKey()];
    await putSession(admin, key, ALICE);
    await putSession(admin, otherKey, { ...ALICE, user: 'bob' });
    const doomed = await Promise.all(Array.from({ length: 20 }, () => connect(service, key)));
    const other = await connect(service, otherKey);
    const staticClient = await connect(service, STATIC_KEY);
    await Promise.all(doomed.map((client) => sendAcked(client)));

    // Act
    const since = Date.now();
    await admin.del(`session:${key}`);

    // Assert
    await Promise.all(doomed.map((client) => expectRevoked(client, since, REVOKE_BOUND_MS)));
    // A full recheck period later the other sockets still ingest.
    await sleep(SESSION_CACHE_MS);
    await sendAcked(other);
    await sendAcked(staticClient);
  });
});

describe('session keys, keyspace notifications with a long SESSION_CACHE_MS', () => {
  let redis: RedisServer;
  let admin: Redis;
  let service: ServiceProcess;

  beforeAll(async () => {
    redis = await startRedis({ notifications: true });
    admin = await redis.client();
    // A recheck only every 15 s: a revocation within 2 s can only come from the key events.
    service = await bootService(redis, { SESSION_CACHE_MS: '30000' });
  });

  afterAll(async () => {
    await service?.cleanup();
    await redis?.stop();
  });

  it('revokes on DEL and on expiry at once, long before the recheck', async () => {
    // Arrange
    const [deleted, expiring] = [newSessionKey(), newSessionKey()];
    await putSession(admin, deleted, ALICE);
    await putSession(admin, expiring, ALICE);
    const a = await connect(service, deleted);
    const b = await connect(service, expiring);
    await Promise.all([sendAcked(a), sendAcked(b)]);

    // Act
    const since = Date.now();
    await admin.del(`session:${deleted}`);
    await admin.pexpire(`session:${expiring}`, 300);

    // Assert
    await expectRevoked(a, since, 2000);
    await expectRevoked(b, since, 300 + 2000);
  });
});

describe('session keys while Redis is down', () => {
  let redis: RedisServer;
  let admin: Redis;
  let service: ServiceProcess;

  beforeAll(async () => {
    redis = await startRedis({ notifications: true });
    admin = await redis.client();
    service = await bootService(redis);
  });

  afterAll(async () => {
    await service?.cleanup();
    await redis?.stop();
  });

  it('refuses session handshakes with 503, accepts static keys, reports not ready, keeps open sockets ingesting', async () => {
    // Arrange
    const key = newSessionKey();
    await putSession(admin, key, ALICE);
    const open = await connect(service, key);
    const ids = [await sendAcked(open)];
    const before = await pollUntil(
      () => ready(service),
      (r) => r.status === 200,
      5000,
    );
    expect(before.status).toBe(200);

    // Act
    await redis.kill();
    const killedAt = Date.now();

    // Assert
    const session = await tryUpgrade(service.wsUrl(), { query: { apiKey: key } });
    const unknown = await tryUpgrade(service.wsUrl(), { query: { apiKey: newSessionKey() } });
    expect([session.status, unknown.status]).toEqual([503, 503]);
    const staticClient = await connect(service, STATIC_KEY);
    await sendAcked(staticClient);
    const notReady = await ready(service);
    expect(notReady.status).toBe(503);
    expect(notReady.json).toMatchObject({
      status: 'error',
      details: { redis: { status: 'down' } },
    });
    // A recheck period and more without Redis: the open session socket is not revoked.
    await sleep(Math.max(0, killedAt + 1.5 * SESSION_CACHE_MS - Date.now()));
    for (let i = 0; i < 3; i++) ids.push(await sendAcked(open));
    await expectStoredWith(service, ids, ALICE);
  });

  it('recovers without a restart when Redis returns on the same port', async () => {
    // Arrange: down (whatever the previous test did), then back, empty as a fresh server is
    await redis.kill();
    await redis.restart();
    const key = newSessionKey();
    await putSession(admin, key, ALICE);

    // Act
    const readiness = await pollUntil(
      () => ready(service),
      (r) => r.status === 200,
      10_000,
    );
    const upgrade = await pollUntil(
      () => tryUpgrade(service.wsUrl(), { query: { apiKey: key } }),
      (r) => r.status !== 503,
      5000,
    );

    // Assert
    expect(readiness.status).toBe(200);
    expect(readiness.json).toMatchObject({ details: { redis: { status: 'up' } } });
    expect(upgrade.status).toBe(101);
    const client = upgrade.client!;
    await expectStoredWith(service, [await sendAcked(client)], ALICE);
    // Revocation works again too.
    const since = Date.now();
    await admin.del(`session:${key}`);
    await expectRevoked(client, since, REVOKE_BOUND_MS);
  });
});

describe('session keys while Redis hangs (SIGSTOP: connected, never answering)', () => {
  let redis: RedisServer;
  let admin: Redis;
  let service: ServiceProcess;

  beforeAll(async () => {
    redis = await startRedis();
    admin = await redis.client();
    service = await bootService(redis);
  });

  afterAll(async () => {
    redis?.resume();
    await service?.cleanup();
    await redis?.stop();
  });

  // A hung Redis (connected, never answering) must not hold handshakes open: the client's
  // commandTimeout turns the lookup into a 503, as for a dead Redis.
  it('refuses a session handshake with 503 within a few seconds', async () => {
    // Arrange
    const key = newSessionKey();
    await putSession(admin, key, ALICE);

    // Act
    redis.pause();
    try {
      const result = await tryUpgrade(service.wsUrl(), { query: { apiKey: key }, timeoutMs: 4000 });

      // Assert
      expect(result.status).toBe(503);
    } finally {
      redis.resume();
    }
  });
});
