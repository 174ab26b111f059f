import { jest } from '@jest/globals';
import fc from 'fast-check';
import { pbtParameters } from '../support/pbt-seed.js';
import { uniqueId, validEntry } from '../support/entries.js';
import { httpRequest, postLogs } from '../support/http-request.js';
import { startRedis, stopAllRedis } from '../support/redis-server.js';
import {
  READER_KEY,
  SERVICE_KEY,
  startService,
  stopAllServices,
  type ServiceProcess,
} from '../support/service-process.js';

/** SPEC §4 GET /stats and /stats/:project: counts of stored entries, in process and across instances. */

jest.setTimeout(60_000);

interface Stats {
  total: number;
  byLevel: Record<string, number>;
  byProject: Record<string, number>;
  series?: { at: string; total: number; byLevel: Record<string, number> }[];
}

/** What every answer with `series=minute` must hold, whatever else was asked. */
function expectConsistentSeries(body: Stats, level?: string): void {
  const series = body.series ?? [];
  expect(series.reduce((n, p) => n + p.total, 0)).toBe(body.total);
  const starts = series.map((p) => Date.parse(p.at));
  expect(
    starts.every((t, i) => t % 60_000 === 0 && (i === 0 || t === starts[i - 1] + 60_000)),
  ).toBe(true);
  for (const point of series) {
    expect(Object.values(point.byLevel).reduce((n, c) => n + c, 0)).toBe(point.total);
    if (level !== undefined)
      expect(Object.keys(point.byLevel).every((l) => l === level)).toBe(true);
  }
}

const ndjson = (list: unknown[]) => list.map((e) => `${JSON.stringify(e)}\n`).join('');
const get = (service: ServiceProcess, path: string, key: string | null = READER_KEY.key) =>
  httpRequest(`${service.httpUrl}${path}`, { headers: key ? { 'x-api-key': key } : {} });

/** Known traffic for one project: 3 info frontend/Login, 2 error backend/Pay; plus 1 invalid. */
async function sendKnownTraffic(service: ServiceProcess, project: string): Promise<void> {
  const body = [
    ...Array.from({ length: 3 }, () =>
      validEntry({ project, level: 'info', system: 'frontend', module: 'Login' }),
    ),
    ...Array.from({ length: 2 }, () =>
      validEntry({ project, level: 'error', system: 'backend', module: 'Pay' }),
    ),
    { project, level: 'fatal' }, // rejected: never stored, never counted
  ];
  const res = await postLogs(service.httpUrl, SERVICE_KEY.key, [ndjson(body)]);
  expect(res.status).toBe(200);
  expect((res.json as { accepted: number }).accepted).toBe(5);
}

describe('GET /stats (file storage, no Redis: in process)', () => {
  let service: ServiceProcess;
  const project = uniqueId('stats');
  let before: string;

  beforeAll(async () => {
    service = await startService();
    before = new Date(Date.now() - 60_000).toISOString();
    await sendKnownTraffic(service, project);
  });

  afterAll(() => stopAllServices());

  it('counts the stored entries by level and project', async () => {
    const res = await get(service, '/stats');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      total: 5,
      byLevel: { info: 3, error: 2 },
      byProject: { [project]: 5 },
    });
  });

  it("gives one project's counts by level, system and module", async () => {
    const res = await get(service, `/stats/${encodeURIComponent(project)}`);
    expect(res.json).toEqual({
      project,
      total: 5,
      byLevel: { info: 3, error: 2 },
      bySystem: { frontend: 3, backend: 2 },
      byModule: { Login: 3, Pay: 2 },
    });
    const none = await get(service, '/stats/nobody');
    expect(none.json).toMatchObject({ project: 'nobody', total: 0, byLevel: {} });
  });

  it('counts one level with level=, and per minute with series=minute (the console chart)', async () => {
    const errors = await get(service, '/stats?level=error');
    expect(errors.json).toEqual({ total: 2, byLevel: { error: 2 }, byProject: { [project]: 2 } });

    const res = await get(service, `/stats?series=minute&from=${before}`);
    expect(res.status).toBe(200);
    const body = res.json as Stats;
    expect(body).toMatchObject({ total: 5, byLevel: { info: 3, error: 2 } });
    // `before` is a minute ago: its minute, and the current one, maybe one between.
    expect(body.series?.length).toBeGreaterThanOrEqual(2);
    expect(body.series?.length).toBeLessThanOrEqual(3);
    expectConsistentSeries(body);

    const one = await get(service, `/stats/${project}?series=minute&level=info&from=${before}`);
    expect(one.json).toMatchObject({
      project,
      total: 3,
      byLevel: { info: 3 },
      bySystem: { frontend: 3 },
    });
    expectConsistentSeries(one.json as Stats, 'info');
  });

  it('counts only inside the from/to window', async () => {
    const inside = await get(service, `/stats?from=${before}`);
    expect((inside.json as Stats).total).toBe(5);
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const later = new Date(Date.now() + 7_200_000).toISOString();
    expect((await get(service, `/stats?from=${future}&to=${later}`)).json).toMatchObject({
      total: 0,
    });
    // `from` after the default `to` (now) is a bad window, named.
    expect((await get(service, `/stats?from=${future}`)).status).toBe(400);
    const past = new Date(Date.now() - 3_600_000).toISOString();
    expect((await get(service, `/stats?to=${past}`)).json).toMatchObject({ total: 0 });
  });

  it.each([
    ['/stats?from=yesterday', 'from'],
    ['/stats?to=2026-13-01T00:00:00Z', 'to'],
    ['/stats?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z', 'from'],
    ['/stats?limit=3', 'limit'],
    ['/stats?level=fatal', 'level'],
    ['/stats?series=hour', 'series'],
    ['/stats?series=minute&series=minute', 'series'],
    [`/stats/x?level=`, 'level'],
    ['/stats/x?to=now', 'to'],
    [`/stats/${'p'.repeat(129)}`, 'project'],
  ])('answers 400 naming the parameter to %s', async (path, name) => {
    const res = await get(service, path);
    expect(res.status).toBe(400);
    const body = res.json as { message: string; errors: { field: string }[] };
    expect(body.errors[0].field).toBe(name);
    expect(body.message).toContain(`"${name}"`);
  });

  it('answers 403 to an ingest-only key and 401 without a key', async () => {
    expect((await get(service, '/stats', SERVICE_KEY.key)).status).toBe(403);
    expect((await get(service, `/stats/${project}`, SERVICE_KEY.key)).status).toBe(403);
    expect((await get(service, '/stats', null)).status).toBe(401);
  });

  it('never answers 5xx to random hostile query strings, and a 400 names a parameter (property)', async () => {
    const params = pbtParameters(60);
    const name = fc.oneof(
      fc.constantFrom('from', 'to', 'level', 'series', 'limit', '__proto__', ''),
      fc.string(),
    );
    const value = fc.oneof(
      fc.constantFrom('', '2026-01-21T10:00:00Z', '9999-12-31T23:59:59Z', '0000-01-01T00:00:00Z'),
      fc.constantFrom(
        'error',
        'info',
        'warning',
        'minute',
        new Date(Date.now() - 120_000).toISOString(),
      ),
      fc.string({ unit: 'binary', maxLength: 40 }),
    );
    const queryArb = fc.array(fc.tuple(name, value), { maxLength: 4 });
    const pathArb = fc.oneof(fc.constant('/stats'), fc.string({ unit: 'binary', minLength: 1 }));
    await fc.assert(
      fc.asyncProperty(pathArb, queryArb, async (path, pairs) => {
        const query = pairs
          .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
          .join('&');
        const target = path === '/stats' ? path : `/stats/${encodeURIComponent(path)}`;
        const res = await get(service, `${target}?${query}`);
        expect(res.status).toBeLessThan(500);
        if (res.status === 400) {
          const body = res.json as { errors: { field: string }[] };
          const named = [...pairs.map(([k]) => k.slice(0, 64)), 'project'];
          expect(named).toContain(body.errors[0].field);
        } else {
          expect([200, 404]).toContain(res.status);
        }
        if (res.status === 200) {
          const body = res.json as Stats;
          const level = pairs.find(([k]) => k === 'level')?.[1];
          if (level !== undefined) {
            expect(Object.keys(body.byLevel).every((l) => l === level)).toBe(true);
          }
          if (pairs.some(([k]) => k === 'series')) {
            // At most the 8 days of minutes a window is clipped to, plus the current one.
            expect(body.series?.length).toBeLessThanOrEqual(8 * 24 * 60 + 1);
            expectConsistentSeries(body, level);
          } else {
            expect(body.series).toBeUndefined();
          }
        }
      }),
      params,
    );
  });
});

describe('GET /stats across two instances sharing one Redis', () => {
  let a: ServiceProcess;
  let b: ServiceProcess;
  const projectA = uniqueId('stats-a');
  const projectB = uniqueId('stats-b');
  const expected = {
    total: 10,
    byLevel: { info: 6, error: 4 },
    byProject: { [projectA]: 5, [projectB]: 5 },
  };

  beforeAll(async () => {
    const redis = await startRedis();
    const env = { REDIS_URL: redis.url, REDIS_STREAM_KEY: uniqueId('logs') };
    [a, b] = await Promise.all([startService({ env }), startService({ env })]);
    await sendKnownTraffic(a, projectA);
    await sendKnownTraffic(b, projectB);
  });

  afterAll(async () => {
    await stopAllServices();
    await stopAllRedis();
  });

  /** The other instance writes its counts to Redis every second: read until they are there. */
  async function readUntilBoth(service: ServiceProcess): Promise<unknown> {
    let body: unknown;
    for (let i = 0; i < 50; i++) {
      body = (await get(service, '/stats')).json;
      if ((body as Stats).total >= expected.total) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return body;
  }

  it('gives exact totals of both instances, read from either', async () => {
    expect(await readUntilBoth(a)).toEqual(expected);
    expect(await readUntilBoth(b)).toEqual(expected);
    const res = await get(a, `/stats/${projectB}`);
    expect(res.json).toEqual({
      project: projectB,
      total: 5,
      byLevel: { info: 3, error: 2 },
      bySystem: { frontend: 3, backend: 2 },
      byModule: { Login: 3, Pay: 2 },
    });
  });

  it('gives per-minute series of both instances, adding up to the totals', async () => {
    const from = new Date(Date.now() - 10 * 60_000).toISOString();
    const res = await get(b, `/stats?series=minute&from=${from}`);
    const body = res.json as Stats;
    expect(body).toMatchObject({ total: expected.total, byLevel: expected.byLevel });
    expectConsistentSeries(body);
    const errors = (await get(a, `/stats?series=minute&level=error&from=${from}`)).json as Stats;
    expect(errors).toMatchObject({ total: 4, byProject: { [projectA]: 2, [projectB]: 2 } });
    expectConsistentSeries(errors, 'error');
  });

  it("keeps a stopped instance's last counts: it writes them at shutdown", async () => {
    await sendKnownTraffic(b, projectB);
    expect((await b.stop()).code).toBe(0);
    const res = await get(a, `/stats/${projectB}`);
    expect(res.json).toMatchObject({ total: 10, byLevel: { info: 6, error: 4 } });
  });
});
