import { jest } from '@jest/globals';
import { httpGet } from '../support/http-get.js';
import { startService, stopAllServices, type ServiceProcess } from '../support/service-process.js';

/** SPEC §4: /docs and /docs-json describe the HTTP endpoints, served by the service itself. */

jest.setTimeout(30_000);

interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, { responses?: Record<string, unknown> }>>;
}

describe('OpenAPI', () => {
  let service: ServiceProcess;

  beforeAll(async () => {
    service = await startService();
  });

  afterAll(() => stopAllServices());

  it('GET /docs-json lists POST and GET /logs, the statuses of POST, the probes and /metrics', async () => {
    // Act
    const res = await httpGet(`${service.httpUrl}/docs-json`);

    // Assert
    expect(res.status).toBe(200);
    const doc = res.json as OpenApiDocument;
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths['/logs']).sort()).toEqual(['get', 'post']);
    expect(Object.keys(doc.paths['/logs'].post.responses ?? {}).sort()).toEqual(
      ['200', '400', '401', '403', '413', '415', '503'].sort(),
    );
    expect(doc.paths['/metrics']?.get).toBeDefined();
    expect(doc.paths['/health/live']?.get).toBeDefined();
    expect(doc.paths['/health/ready']?.get).toBeDefined();
  });

  it('GET /docs serves the Swagger UI page', async () => {
    const res = await httpGet(`${service.httpUrl}/docs`);
    expect(res.status).toBe(200);
    expect(res.body).toMatch(/swagger/i);
  });
});
