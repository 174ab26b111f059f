import { jest } from '@jest/globals';
import { STORED_FIELD_ORDER, uniqueId, validEntry } from '../support/entries.js';
import { httpRequest, postLogs } from '../support/http-request.js';
import { startPostgres, stopAllPostgres } from '../support/postgres-server.js';
import { startRedis, stopAllRedis } from '../support/redis-server.js';
import {
  READER_KEY,
  SERVICE_KEY,
  startService,
  stopAllServices,
  type ServiceProcess,
} from '../support/service-process.js';

/** SPEC §4 GET /logs on `postgres` (indexed SQL) and `redis` (XREVRANGE): filters, order, paging. */

jest.setTimeout(60_000);

interface Page {
  entries: Record<string, unknown>[];
  next: string | null;
}

const ndjson = (list: unknown[]) => list.map((e) => `${JSON.stringify(e)}\n`).join('');

describe.each([
  ['postgres', async () => ({ STORAGE: 'postgres', DATABASE_URL: (await startPostgres()).url })],
  ['redis', async () => ({ STORAGE: 'redis', REDIS_URL: (await startRedis()).url })],
])('GET /logs (%s storage)', (_kind, backend) => {
  let service: ServiceProcess;
  const correlationId = uniqueId('query');
  // Timestamps increase with the step, so "newest first" is the same by time and by arrival.
  const at = (i: number) => `2026-01-21T10:0${i}:00.000Z`;

  beforeAll(async () => {
    service = await startService({ env: await backend() });
    const chain = Array.from({ length: 6 }, (_, i) =>
      validEntry({
        correlationId,
        timestamp: at(i),
        action: `step-${i}`,
        level: i % 2 ? 'error' : 'info',
        ...(i === 5 ? { errorCode: 7, errorMessage: 'boom' } : {}),
      }),
    );
    for (const part of [
      chain.slice(0, 3),
      [...chain.slice(3), validEntry({ project: 'payroll' })],
    ]) {
      expect((await postLogs(service.httpUrl, SERVICE_KEY.key, [ndjson(part)])).status).toBe(200);
    }
  });

  afterAll(async () => {
    await stopAllServices();
    await stopAllPostgres();
    await stopAllRedis();
  });

  const get = (query: string, key: string | null = READER_KEY.key) =>
    httpRequest(`${service.httpUrl}/logs?${query}`, { headers: key ? { 'x-api-key': key } : {} });

  it("returns a correlationId's entries newest first, fields in SPEC order", async () => {
    const res = await get(`correlationId=${correlationId}`);

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
    expect(Object.keys(page.entries[0])).toEqual(
      STORED_FIELD_ORDER.filter((f) => f !== 'errorType'),
    );
    expect(page.entries[0]).toMatchObject({ errorCode: 7, errorMessage: 'boom', timestamp: at(5) });
    expect(page.next).toBeNull();
  });

  it('filters by level, project and a from/to window together', async () => {
    const res = await get(
      `correlationId=${correlationId}&level=error&project=absences&from=${at(2)}&to=${at(5)}`,
    );
    expect((res.json as Page).entries.map((e) => e.action)).toEqual(['step-5', 'step-3']);
    const other = await get(`correlationId=${correlationId}&project=payroll`);
    expect((other.json as Page).entries).toEqual([]);
  });

  it('pages with `next` until every entry was seen once', async () => {
    const seen: string[] = [];
    let query = `correlationId=${correlationId}&limit=4`;
    for (let i = 0; i < 5; i++) {
      const page = (await get(query)).json as Page;
      seen.push(...page.entries.map((e) => e.action as string));
      if (page.next === null) break;
      query = `correlationId=${correlationId}&limit=4&cursor=${page.next}`;
    }
    expect(seen).toEqual(['step-5', 'step-4', 'step-3', 'step-2', 'step-1', 'step-0']);
  });

  it.each([
    ['limit=0', 'limit'],
    ['level=fatal', 'level'],
    ['to=yesterday', 'to'],
    ['cursor=zzz', 'cursor'],
    ['colour=red', 'colour'],
  ])('answers 400 naming the parameter to %s', async (query, name) => {
    const res = await get(query);
    expect(res.status).toBe(400);
    expect((res.json as { errors: { field: string }[] }).errors[0].field).toBe(name);
  });

  it('answers 403 to an ingest-only key', async () => {
    expect((await get(`correlationId=${correlationId}`, SERVICE_KEY.key)).status).toBe(403);
  });
});
