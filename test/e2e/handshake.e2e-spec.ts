import { setTimeout as sleep } from 'node:timers/promises';
import { jest } from '@jest/globals';
import { ACK_ONE, logFrame, validEntry } from '../support/entries.js';
import {
  READER_KEY,
  SERVICE_KEY,
  startService,
  stopAllServices,
  type ServiceProcess,
} from '../support/service-process.js';
import { terminateAllClients, tryUpgrade, type WsClient } from '../support/ws-client.js';

/** SPEC §2 and §3: every handshake is decided before anything is upgraded. */

// Each file boots real processes; a test or hook that takes longer than this is stuck.
jest.setTimeout(30_000);

/** The connection works: a log frame on it is acked. */
async function expectUsable(client: WsClient): Promise<void> {
  client.send(logFrame(validEntry()));
  await client.next(1);
  expect(client.raw[0]).toBe(ACK_ONE);
}

describe('WebSocket handshake', () => {
  let service: ServiceProcess;

  beforeAll(async () => {
    service = await startService();
  });

  afterEach(() => terminateAllClients());
  afterAll(() => stopAllServices());

  it('refuses an upgrade without a key with 401', async () => {
    const result = await tryUpgrade(service.wsUrl());
    expect(result.status).toBe(401);
  });

  it('refuses an unknown key with 401, in the header or the query', async () => {
    const header = await tryUpgrade(service.wsUrl(), { headers: { 'x-api-key': 'nope' } });
    const query = await tryUpgrade(service.wsUrl(), { query: { apiKey: 'nope' } });
    expect([header.status, query.status]).toEqual([401, 401]);
  });

  it('refuses an empty key with 401', async () => {
    const result = await tryUpgrade(service.wsUrl(), { query: { apiKey: '' } });
    expect(result.status).toBe(401);
  });

  it('accepts a service key in the x-api-key header', async () => {
    const result = await tryUpgrade(service.wsUrl(), {
      headers: { 'x-api-key': SERVICE_KEY.key },
    });
    expect(result.status).toBe(101);
    await expectUsable(result.client!);
  });

  it('accepts a service key in ?apiKey=', async () => {
    const result = await tryUpgrade(service.wsUrl(), { query: { apiKey: SERVICE_KEY.key } });
    expect(result.status).toBe(101);
    await expectUsable(result.client!);
  });

  it('accepts a reader key', async () => {
    const result = await tryUpgrade(service.wsUrl(), {
      headers: { 'x-api-key': READER_KEY.key },
    });
    expect(result.status).toBe(101);
    await expectUsable(result.client!);
  });

  it('accepts the same key in both the header and the query', async () => {
    const result = await tryUpgrade(service.wsUrl(), {
      headers: { 'x-api-key': SERVICE_KEY.key },
      query: { apiKey: SERVICE_KEY.key },
    });
    expect(result.status).toBe(101);
  });

  it('refuses a header and a query key that differ with 401, even if both are valid', async () => {
    const result = await tryUpgrade(service.wsUrl(), {
      headers: { 'x-api-key': SERVICE_KEY.key },
      query: { apiKey: READER_KEY.key },
    });
    expect(result.status).toBe(401);
  });

  it('refuses apiKey given twice with 401, even with the same valid key', async () => {
    const same = await tryUpgrade(service.wsUrl(), {
      query: { apiKey: [SERVICE_KEY.key, SERVICE_KEY.key] },
    });
    const differing = await tryUpgrade(service.wsUrl(), {
      query: { apiKey: [SERVICE_KEY.key, READER_KEY.key] },
    });
    expect([same.status, differing.status]).toEqual([401, 401]);
  });

  it('refuses another path with 404, whatever the key', async () => {
    const withKey = await tryUpgrade(service.wsUrl('/nope'), {
      headers: { 'x-api-key': SERVICE_KEY.key },
    });
    const prefixed = await tryUpgrade(service.wsUrl('/ws/extra'), {
      headers: { 'x-api-key': SERVICE_KEY.key },
    });
    expect([withKey.status, prefixed.status]).toEqual([404, 404]);
  });
});

describe('WebSocket handshake with WS_MAX_CONNECTIONS=2', () => {
  let service: ServiceProcess;
  const headers = { 'x-api-key': SERVICE_KEY.key };

  beforeAll(async () => {
    service = await startService({ env: { WS_MAX_CONNECTIONS: '2' } });
  });

  afterAll(async () => {
    terminateAllClients();
    await stopAllServices();
  });

  it('refuses a third upgrade with 503, and accepts one again once a connection closed', async () => {
    const first = await tryUpgrade(service.wsUrl(), { headers });
    const second = await tryUpgrade(service.wsUrl(), { headers });
    const third = await tryUpgrade(service.wsUrl(), { headers });
    expect([first.status, second.status, third.status]).toEqual([101, 101, 503]);

    await first.client!.close();
    // The server learns of the close a moment after the client: retry until the slot is free.
    let again = await tryUpgrade(service.wsUrl(), { headers });
    for (let i = 0; i < 50 && again.status === 503; i++) {
      await sleep(20);
      again = await tryUpgrade(service.wsUrl(), { headers });
    }
    expect(again.status).toBe(101);
    await expectUsable(again.client!);
  });
});
