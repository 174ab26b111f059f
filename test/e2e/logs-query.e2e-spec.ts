import { jest } from '@jest/globals';
import { uniqueId, validEntry } from '../support/entries.js';
import { httpRequest, postLogs } from '../support/http-request.js';
import {
  READER_KEY,
  SERVICE_KEY,
  startService,
  stopAllServices,
  type ServiceProcess,
} from '../support/service-process.js';

/** SPEC §4 GET /logs on `file` storage: read scope, filters, newest first, paging, bad params. */

jest.setTimeout(30_000);

interface Page {
  entries: { correlationId: string; project: string; level: string; action: string }[];
  next: string | null;
}

describe('GET /logs (file storage)', () => {
  let service: ServiceProcess;
  const correlationId = uniqueId('query');

  beforeAll(async () => {
    service = await startService();
    // Six entries of one request chain, sent in order in two bodies, one of another chain.
    const chain = Array.from({ length: 6 }, (_, i) =>
      validEntry({ correlationId, action: `step-${i}`, level: i % 2 ? 'error' : 'info' }),
    );
    const ndjson = (list: unknown[]) => list.map((e) => `${JSON.stringify(e)}\n`).join('');
    for (const part of [
      chain.slice(0, 3),
      [...chain.slice(3), validEntry({ project: 'payroll' })],
    ]) {
      const res = await postLogs(service.httpUrl, SERVICE_KEY.key, [ndjson(part)]);
      expect(res.status).toBe(200);
    }
  });

  afterAll(() => stopAllServices());

  const get = (query: string, key: string | null = READER_KEY.key) =>
    httpRequest(`${service.httpUrl}/logs?${query}`, { headers: key ? { 'x-api-key': key } : {} });

  it("returns a correlationId's entries newest first, exactly as stored", async () => {
    // Act
    const res = await get(`correlationId=${correlationId}`);

    // Assert
    expect(res.status).toBe(200);
    const page = res.json as Page;
    expect(page.entries.map((e) => e.action)).toEqual([
      'step-5',
      'step-4',
      'step-3',
      'step-2',
      'step-1',
      'step-0',
    ]);
    expect(page.next).toBeNull();
  });

  it('filters by level and project together', async () => {
    const res = await get(`correlationId=${correlationId}&level=error&project=absences`);
    expect((res.json as Page).entries.map((e) => e.action)).toEqual(['step-5', 'step-3', 'step-1']);
  });

  it('pages with `next` until every entry was seen once', async () => {
    // Act
    const seen: string[] = [];
    let query = `correlationId=${correlationId}&limit=4`;
    for (let i = 0; i < 5; i++) {
      const page = (await get(query)).json as Page;
      seen.push(...page.entries.map((e) => e.action));
      if (page.next === null) break;
      query = `correlationId=${correlationId}&limit=4&cursor=${page.next}`;
    }

    // Assert
    expect(seen).toEqual(['step-5', 'step-4', 'step-3', 'step-2', 'step-1', 'step-0']);
  });

  it.each([
    ['limit=5000', 'limit'],
    ['level=fatal', 'level'],
    ['from=yesterday', 'from'],
    ['cursor=zzz', 'cursor'],
    ['colour=red', 'colour'],
  ])('answers 400 naming the parameter to %s', async (query, name) => {
    const res = await get(query);
    expect(res.status).toBe(400);
    const body = res.json as { message: string; errors: { field: string }[] };
    expect(body.message).toContain(`"${name}"`);
    expect(body.errors[0].field).toBe(name);
  });

  it('answers 403 to an ingest-only key and 401 without a key', async () => {
    expect((await get(`correlationId=${correlationId}`, SERVICE_KEY.key)).status).toBe(403);
    expect((await get(`correlationId=${correlationId}`, null)).status).toBe(401);
  });
});
