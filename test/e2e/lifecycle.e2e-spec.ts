import { jest } from '@jest/globals';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { ACK_ONE, batchFrame, logFrame, validEntry } from '../support/entries.js';
import { httpGet } from '../support/http-get.js';
import {
  SERVICE_KEY,
  spawnService,
  startService,
  stopAllServices,
  type ServiceProcess,
} from '../support/service-process.js';
import { openStalledClient } from '../support/stalled-ws-client.js';
import { byCorrelationId, readStored } from '../support/stored.js';
import { openClient, terminateAllClients, tryUpgrade } from '../support/ws-client.js';

/** SPEC §4 health, §6 configuration errors and §7 graceful shutdown, on the built service. */

// Each file boots real processes; a test or hook that takes longer than this is stuck.
jest.setTimeout(30_000);

const headers = { 'x-api-key': SERVICE_KEY.key };

interface TerminusBody {
  status: string;
  details?: Record<string, { status: string }>;
}

describe('health endpoints', () => {
  let service: ServiceProcess;

  beforeAll(async () => {
    service = await startService();
  });

  afterAll(() => stopAllServices());

  it('GET /health/live answers 200', async () => {
    const res = await httpGet(`${service.httpUrl}/health/live`);
    expect(res.status).toBe(200);
    expect((res.json as TerminusBody).status).toBe('ok');
  });

  it('GET /health/ready answers 200 with terminus JSON, every check up', async () => {
    const res = await httpGet(`${service.httpUrl}/health/ready`);
    const body = res.json as TerminusBody;
    expect(res.status).toBe(200);
    expect(body.status).toBe('ok');
    const checks = Object.values(body.details ?? {});
    expect(checks.length).toBeGreaterThan(0);
    expect(checks.every((check) => check.status === 'up')).toBe(true);
  });
});

describe('invalid configuration', () => {
  afterEach(() => stopAllServices());

  it.each([
    ['PORT', 'abc'],
    ['STORAGE', 'bogus'],
    ['STORAGE', 'file,file'],
    ['FSYNC', 'sometimes'],
    ['WS_MAX_PAYLOAD', '12'],
    ['BATCH_MAX_ENTRIES', '0'],
    ['LOG_LEVEL', 'loud'],
  ])(
    '%s=%s stops startup with exit code 1 and names the variable on stderr',
    async (name, value) => {
      const service = await spawnService({ env: { [name]: value } });
      const exit = await service.waitForExit(15_000);

      expect(exit).toEqual({ code: 1, signal: null });
      expect(service.stderr).toContain(name);
    },
  );

  it('does not print the value of an invalid API_KEYS (keys are never logged)', async () => {
    const secret = 'no-colon-secret-5f3a9c';
    const service = await spawnService({ env: { API_KEYS: secret } });
    const exit = await service.waitForExit(15_000);

    expect(exit).toEqual({ code: 1, signal: null });
    expect(service.stderr).toContain('API_KEYS');
    expect(service.stderr + service.stdout).not.toContain(secret);
  });
});

describe('graceful shutdown', () => {
  let service: ServiceProcess;

  beforeEach(async () => {
    service = await startService();
  });

  afterEach(async () => {
    terminateAllClients();
    await stopAllServices();
  });

  it('on SIGTERM acks and stores every frame it received, closes clients with 1012, exits 0', async () => {
    const clients = await Promise.all(
      [1, 2, 3].map(() => openClient(service.wsUrl(), { headers })),
    );
    const plans = clients.map(() => Array.from({ length: 2000 }, () => validEntry()));
    clients.forEach((client, c) => plans[c].forEach((entry) => client.send(logFrame(entry))));
    // Every connection has frames being answered when the signal lands.
    await Promise.all(clients.map((client) => client.next(1)));

    const exit = await service.stop('SIGTERM');
    const codes = await Promise.all(clients.map((client) => client.closed));

    expect(exit).toEqual({ code: 0, signal: null });
    expect(codes).toEqual([1012, 1012, 1012]);
    expect(clients.map((client) => client.raw.filter((text) => text !== ACK_ONE))).toEqual([
      [],
      [],
      [],
    ]);
    // Everything was sent before the signal, so everything is read and acked (SPEC §7).
    expect(clients.map((client) => client.raw.length)).toEqual([2000, 2000, 2000]);
    const acked = clients.flatMap((client, c) => plans[c].slice(0, client.raw.length));
    // Stored and acked are the same set: no ack without its entry, no entry whose ack was lost.
    const index = byCorrelationId(await readStored(service.logDir));
    const sentIds = plans.flat().map((e) => e.correlationId!);
    const stored = sentIds.filter((id) => index.has(id));
    expect(stored.length).toBe(acked.length);
    expect(new Set(stored)).toEqual(new Set(acked.map((e) => e.correlationId!)));
    expect(sentIds.filter((id) => (index.get(id)?.length ?? 0) > 1)).toEqual([]);
  });

  it('on SIGTERM reads what clients had sent before closing them (issue 7, defect 3)', async () => {
    const clients = await Promise.all(
      [1, 2, 3].map(() => openClient(service.wsUrl(), { headers })),
    );
    const plans = clients.map(() =>
      Array.from({ length: 16 }, () => Array.from({ length: 250 }, () => validEntry())),
    );
    clients.forEach((client, c) =>
      plans[c].forEach((entries, i) => client.send(batchFrame(i + 1, entries))),
    );
    // The signal lands while the service is still reading: each client has had one ack.
    await Promise.all(clients.map((client) => client.next(1)));

    const exit = await service.stop('SIGTERM');
    const codes = await Promise.all(clients.map((client) => client.closed));

    expect(exit).toEqual({ code: 0, signal: null });
    expect(codes).toEqual([1012, 1012, 1012]);
    const expected = Array.from({ length: 16 }, (_, i) => ({ seq: i + 1, accepted: 250 }));
    for (const client of clients) {
      expect(client.replies.map((r) => ({ seq: r.data.seq, accepted: r.data.accepted }))).toEqual(
        expected,
      );
    }
    const index = byCorrelationId(await readStored(service.logDir));
    const ids = plans.flat(2).map((e) => e.correlationId!);
    expect(ids.filter((id) => index.get(id)?.length !== 1)).toEqual([]);
  });

  it('is not ready (503) and refuses upgrades (503) while draining', async () => {
    // A peer that never answers the close handshake keeps the drain going long enough to look at.
    const stalled: Socket = await openStalledClient(service.port, '/ws', SERVICE_KEY.key);
    const client = await openClient(service.wsUrl(), { headers });
    try {
      service.child.kill('SIGTERM');
      const ready = await firstNon200(`${service.httpUrl}/health/ready`, 5000);
      const upgrade = await tryUpgrade(service.wsUrl(), { headers });
      const exit = await service.waitForExit(15_000, 'SIGTERM');

      expect(ready?.status).toBe(503);
      // 'error' from the lifecycle indicator, or terminus' own 'shutting_down' once its shutdown
      // hook has run (the order of modules' hooks follows the module graph).
      expect(['error', 'shutting_down']).toContain((ready?.json as TerminusBody).status);
      expect(upgrade.status).toBe(503);
      expect(await client.closed).toBe(1012);
      expect(exit).toEqual({ code: 0, signal: null });
    } finally {
      stalled.destroy();
    }
  });

  it('exits 0 on SIGINT too', async () => {
    const client = await openClient(service.wsUrl(), { headers });
    const exit = await service.stop('SIGINT');

    expect(exit).toEqual({ code: 0, signal: null });
    expect(await client.closed).toBe(1012);
  });
});

/**
 * Polls `url` until it answers anything but 200. A probe that fails (no answer within 3 s, a
 * reset) fails the test with its error, so that a flaky run says which it was.
 */
async function firstNon200(url: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const res = await httpGet(url, 3000).catch((error: Error) => {
      throw new Error(`readiness probe during the drain failed: ${error.message}`);
    });
    if (res.status !== 200) return res;
    await sleep(5);
  }
  return undefined;
}
