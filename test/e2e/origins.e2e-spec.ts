import { jest } from '@jest/globals';
import { validEntry } from '../support/entries.js';
import { httpRequest, postLogs } from '../support/http-request.js';
import {
  SERVICE_KEY,
  startService,
  stopAllServices,
  type ServiceProcess,
} from '../support/service-process.js';
import { byCorrelationId, readStored } from '../support/stored.js';
import { terminateAllClients, tryUpgrade } from '../support/ws-client.js';

/** SPEC §3 origins: HTTP requests and WebSocket upgrades from other origins get 403. */

jest.setTimeout(30_000);

const ALLOWED = 'http://allowed.example';
const OTHER_ALLOWED = 'https://console.example:8443';
const REFUSED = 'http://evil.example';
const line = (value: unknown) => `${JSON.stringify(value)}\n`;

describe('ALLOWED_ORIGINS', () => {
  let service: ServiceProcess;
  let open: ServiceProcess;

  beforeAll(async () => {
    [service, open] = await Promise.all([
      startService({ env: { ALLOWED_ORIGINS: `${ALLOWED}, ${OTHER_ALLOWED}` } }),
      startService(),
    ]);
  });

  afterEach(() => terminateAllClients());
  afterAll(() => stopAllServices());

  const own = () => `http://127.0.0.1:${service.port}`;

  async function postFrom(origin: string | undefined, target = service) {
    const entry = validEntry();
    const headers: Record<string, string> = origin ? { origin } : {};
    const res = await postLogs(
      target.httpUrl,
      SERVICE_KEY.key,
      [line(entry)],
      'application/x-ndjson',
      headers,
    );
    const stored =
      byCorrelationId(await readStored(target.logDir)).get(entry.correlationId!)?.length ?? 0;
    return { res, stored };
  }

  it.each([
    ['a listed origin', ALLOWED],
    ['a listed origin with its port, differently cased', 'HTTPS://Console.example:8443'],
    ['no Origin (a server)', undefined],
  ])('lets POST /logs from %s through', async (_what, origin) => {
    // Act
    const { res, stored } = await postFrom(origin);

    // Assert
    expect(res.status).toBe(200);
    expect(stored).toBe(1);
    if (origin) expect(res.headers['access-control-allow-origin']).toBe(origin);
  });

  it("lets the service's own origin through (its console)", async () => {
    const { res, stored } = await postFrom(own());
    expect(res.status).toBe(200);
    expect(stored).toBe(1);
  });

  it.each([[REFUSED], ['null'], ['http://allowed.example:8080']])(
    'answers 403 to POST /logs from %s and stores nothing',
    async (origin) => {
      // Act
      const { res, stored } = await postFrom(origin);

      // Assert
      expect(res.status).toBe(403);
      expect(res.json).toEqual({
        status: 403,
        message: expect.stringContaining('origin'),
        errors: [],
      });
      expect(stored).toBe(0);
    },
  );

  it('answers 403 to other HTTP requests from a refused origin too', async () => {
    const res = await httpRequest(`${service.httpUrl}/health/live`, {
      headers: { origin: REFUSED },
    });
    expect(res.status).toBe(403);
  });

  it('answers the CORS preflight of a listed origin with the methods and x-api-key', async () => {
    // Act
    const res = await httpRequest(`${service.httpUrl}/logs`, {
      method: 'OPTIONS',
      headers: {
        origin: ALLOWED,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'x-api-key, content-type',
      },
    });

    // Assert
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(ALLOWED);
    expect(String(res.headers['access-control-allow-methods'])).toContain('POST');
    expect(String(res.headers['access-control-allow-headers'])).toContain('x-api-key');
  });

  it('refuses the preflight of another origin with 403', async () => {
    const res = await httpRequest(`${service.httpUrl}/logs`, {
      method: 'OPTIONS',
      headers: { origin: REFUSED, 'access-control-request-method': 'POST' },
    });
    expect(res.status).toBe(403);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it.each([
    ['a listed origin', ALLOWED, 101],
    ['no Origin', undefined, 101],
    ['a refused origin', REFUSED, 403],
  ])('answers a WebSocket upgrade from %s with %s', async (_what, origin, status) => {
    // Arrange
    const headers: Record<string, string> = { 'x-api-key': SERVICE_KEY.key };
    if (origin) headers.origin = origin;

    // Act
    const result = await tryUpgrade(service.wsUrl(), { headers });

    // Assert
    expect(result.status).toBe(status);
  });

  it("upgrades a WebSocket from the service's own origin", async () => {
    const result = await tryUpgrade(service.wsUrl(), {
      headers: { 'x-api-key': SERVICE_KEY.key, origin: own() },
    });
    expect(result.status).toBe(101);
  });

  it('lets any origin through when ALLOWED_ORIGINS is unset', async () => {
    // Act
    const { res, stored } = await postFrom(REFUSED, open);
    const upgrade = await tryUpgrade(open.wsUrl(), {
      headers: { 'x-api-key': SERVICE_KEY.key, origin: REFUSED },
    });

    // Assert
    expect(res.status).toBe(200);
    expect(stored).toBe(1);
    expect(upgrade.status).toBe(101);
  });
});
