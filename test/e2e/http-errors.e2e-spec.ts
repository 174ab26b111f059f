import { request } from 'node:http';
import { connect } from 'node:net';
import { jest } from '@jest/globals';
import fc from 'fast-check';
import { pbtParameters } from '../support/pbt-seed.js';
import { httpRequest, type HttpReply } from '../support/http-request.js';
import {
  READER_KEY,
  startService,
  stopAllServices,
  type ServiceProcess,
} from '../support/service-process.js';

/**
 * SPEC §4 "HTTP errors have the body {"status":N,"message":"...","errors":[...]}" on every path:
 * Nest's own answers (unknown route or method, a path that does not decode), requests Node
 * cannot parse, refused upgrades, bad parameters, and hostile /stats/:project names.
 */

jest.setTimeout(60_000);

/** Largest error body any request may provoke: client text in it is cut and quoted. */
const MAX_ERROR_BODY = 1024;

interface ErrorBody {
  status: number;
  message: string;
  errors: { field: string; message: string }[];
}

/** The SPEC §4 error body, nothing else, its status the HTTP status, bounded. */
function expectErrorBody(res: { status: number; body: string }, status: number): ErrorBody {
  expect(res.status).toBe(status);
  expect(res.body.length).toBeLessThanOrEqual(MAX_ERROR_BODY);
  const body = JSON.parse(res.body) as ErrorBody;
  expect(Object.keys(body).sort()).toEqual(['errors', 'message', 'status']);
  expect(body.status).toBe(status);
  expect(typeof body.message).toBe('string');
  expect(Array.isArray(body.errors)).toBe(true);
  return body;
}

const segment = encodeURIComponent;

/**
 * GET with the path sent as given: a URL string would be parsed first, and a URL parser resolves
 * `.` and `..` segments (even as %2E) before anything is sent.
 */
function getPath(port: number, path: string, key: string | null): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const headers = key ? { 'x-api-key': key } : {};
    const req = request({ host: '127.0.0.1', port, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString();
        let json: unknown;
        try {
          json = JSON.parse(body);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** One request written by hand over TCP (paths and bytes Node's client would refuse). */
function rawHttp(port: number, text: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(text, 'latin1'));
    let reply = '';
    socket.setEncoding('latin1').on('data', (s: string) => (reply += s));
    socket.setTimeout(5000, () => socket.destroy(new Error('no answer in 5 s')));
    socket.on('error', reject);
    socket.on('close', () => {
      const [head = '', body = ''] = reply.split('\r\n\r\n');
      resolve({ status: Number(head.split(' ')[1]), body: Buffer.from(body, 'latin1').toString() });
    });
  });
}

describe('HTTP error bodies (SPEC §4)', () => {
  let service: ServiceProcess;
  const get = (path: string, key: string | null = READER_KEY.key): Promise<HttpReply> =>
    getPath(service.port, path, key);

  beforeAll(async () => {
    service = await startService();
  });

  afterAll(() => stopAllServices());

  it('answers an unknown path 404 with the SPEC body naming the path', async () => {
    const body = expectErrorBody(await get('/nope/deeper?x=1', null), 404);
    expect(body.message).toBe('no route GET "/nope/deeper"');
  });

  it('answers a method no route has 404 with the SPEC body', async () => {
    for (const [method, path] of [
      ['DELETE', '/logs'],
      ['PUT', '/stats'],
      ['POST', '/metrics'],
      ['PATCH', '/health/live'],
    ]) {
      const res = await httpRequest(`${service.httpUrl}${path}`, { method });
      expect(expectErrorBody(res, 404).message).toBe(`no route ${method} "${path}"`);
    }
  });

  it('bounds and quotes a huge unknown path in the message', async () => {
    const body = expectErrorBody(await get(`/${'a'.repeat(10_000)}`, null), 404);
    expect(body.message).toBe(`no route GET "/${'a'.repeat(63)}"…`);
  });

  it.each([
    ['/logs?limit=0', 'limit'],
    ['/logs?limit=1001', 'limit'],
    ['/logs?levle=error', 'levle'],
    ['/logs?level=fatal', 'level'],
    ['/logs?from=yesterday', 'from'],
    ['/logs?limit=1&limit=2', 'limit'],
    ['/logs?cursor=not-a-cursor', 'cursor'],
    ['/stats?from=2026-13-01T00:00:00Z', 'from'],
    ['/stats?x=1', 'x'],
  ])('answers %s 400 with the SPEC body naming %s', async (path, name) => {
    const body = expectErrorBody(await get(path), 400);
    expect(body.errors[0].field).toBe(name);
    expect(body.message).toContain(`"${name}"`);
  });

  it('answers a path whose percent-encoding does not decode 400 naming the path', async () => {
    for (const path of ['/%zz', '/stats/%E0%A4', '/stats/%ED%A0%80']) {
      const body = expectErrorBody(await get(path), 400);
      expect(body.errors).toEqual([{ field: 'path', message: body.message }]);
    }
  });

  it('answers what Node cannot parse with the SPEC body: a broken request line 400, huge headers 431', async () => {
    expectErrorBody(await rawHttp(service.port, 'GARBAGE\r\n\r\n'), 400);
    expectErrorBody(
      await rawHttp(service.port, 'GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n'),
      400,
    );
    const huge = `GET /health/live HTTP/1.1\r\nHost: x\r\nx-big: ${'a'.repeat(20_000)}\r\n\r\n`;
    expectErrorBody(await rawHttp(service.port, huge), 431);
  });

  it('answers a refused WebSocket upgrade with the SPEC body', async () => {
    const upgrade = (path: string, key = '') =>
      `GET ${path} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n${key}\r\n`;
    expectErrorBody(await rawHttp(service.port, upgrade('/ws')), 401);
    expectErrorBody(await rawHttp(service.port, upgrade('/elsewhere')), 404);
  });

  it('keeps terminus’ own body on the probes', async () => {
    const res = await get('/health/ready', null);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ status: 'ok', details: { storage: { status: 'up' } } });
  });

  describe('hostile /stats/:project names', () => {
    it('echoes a unicode name exactly, and a traversal-looking one as a plain label', async () => {
      for (const project of ['Ünïcødé ✓ 𝄞 日本語', '../../etc/passwd', '..', '%2e%2e', 'a/b\\c']) {
        const res = await get(`/stats/${segment(project)}`);
        expect(res.status).toBe(200);
        expect(res.json).toEqual({ project, total: 0, byLevel: {}, bySystem: {}, byModule: {} });
      }
    });

    it('answers a literal ../ path, never resolved, 404 with the SPEC body', async () => {
      const res = await rawHttp(
        service.port,
        `GET /stats/../../etc/passwd HTTP/1.1\r\nHost: x\r\nx-api-key: ${READER_KEY.key}\r\nConnection: close\r\n\r\n`,
      );
      expect(expectErrorBody(res, 404).message).toBe('no route GET "/stats/../../etc/passwd"');
    });

    it.each([
      ['129 characters', 'p'.repeat(129)],
      ['1,000 characters (9 KB encoded)', '€'.repeat(1000)],
      ['a NUL', 'a\u0000b'],
    ])(
      'answers a name of %s 400 naming project, quoting at most 64 characters',
      async (_, name) => {
        const body = expectErrorBody(await get(`/stats/${segment(name)}`), 400);
        expect(body.errors[0].field).toBe('project');
        const quoted = /project (".*?"…?) must be/.exec(body.errors[0].message)?.[1] ?? '';
        expect((JSON.parse(quoted.replace(/…$/, '')) as string).length).toBeLessThanOrEqual(64);
      },
    );

    it('answers any name 200 echoing it, or 400/404 with the bounded SPEC body (property)', async () => {
      const params = pbtParameters(80);
      const name = fc.oneof(
        fc.string({ unit: 'binary', minLength: 1, maxLength: 200 }),
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }),
        fc.constantFrom('..', '.', '%00', '\u0000', '/', '?', '#', ' ', '__proto__'),
        fc.string({ unit: fc.constantFrom('.', '/', '%', '\\', 'a'), minLength: 1, maxLength: 30 }),
      );
      await fc.assert(
        fc.asyncProperty(name, async (project) => {
          const res = await get(`/stats/${segment(project)}`);
          if (res.status === 200) {
            expect((res.json as { project: string }).project).toBe(project);
          } else {
            expect([400, 404]).toContain(res.status);
            expectErrorBody(res, res.status);
          }
        }),
        params,
      );
    });
  });
});
