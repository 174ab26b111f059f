import { jest } from '@jest/globals';
import {
  STORED_FIELD_ORDER,
  batchFrame,
  logFrame,
  uniqueId,
  validEntry,
} from '../support/entries.js';
import { httpGet } from '../support/http-get.js';
import { postLogs, type HttpReply } from '../support/http-request.js';
import {
  SERVICE_KEY,
  startService,
  stopAllServices,
  type ServiceProcess,
} from '../support/service-process.js';
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parsePrometheus, sampleValue } from '../support/prometheus.js';
import { byCorrelationId, readStored, type StoredEntry } from '../support/stored.js';
import { openClient, terminateAllClients } from '../support/ws-client.js';

/** SPEC §4 POST /logs over real HTTP to the built service, read back from its day files. */

jest.setTimeout(30_000);

const HTTP_MAX_BODY = 4096;
const ISO_UTC_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const line = (value: unknown) => `${JSON.stringify(value)}\n`;

interface IngestBody {
  accepted: number;
  rejected: { index: number; errors: { field: string; message: string }[] }[];
}

describe('POST /logs', () => {
  let service: ServiceProcess;

  beforeAll(async () => {
    service = await startService({ env: { HTTP_MAX_BODY: String(HTTP_MAX_BODY) } });
  });

  afterEach(() => terminateAllClients());
  afterAll(() => stopAllServices());

  /** `key` null: no x-api-key header at all. */
  const post = (
    chunks: (string | Buffer)[],
    type: string | null = 'application/x-ndjson',
    key: string | null = SERVICE_KEY.key,
  ) => postLogs(service.httpUrl, key ?? undefined, chunks, type);

  async function storedById(): Promise<Map<string, StoredEntry[]>> {
    return byCorrelationId(await readStored(service.logDir));
  }

  /** How often each id is stored. */
  async function counts(ids: readonly string[]): Promise<number[]> {
    const index = await storedById();
    return ids.map((id) => index.get(id)?.length ?? 0);
  }

  it('stores one JSON entry and answers 200 {"accepted":1,"rejected":[]} after storage', async () => {
    // Arrange
    const entry = validEntry({ errorCode: 500, extra: { deep: 1 }, activeSession: { user: 'x' } });

    // Act
    const res = await post([JSON.stringify(entry)], 'application/json');

    // Assert
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ accepted: 1, rejected: [] });
    const [stored] = (await storedById()).get(entry.correlationId!)!;
    expect(Object.keys(stored)).toEqual(
      STORED_FIELD_ORDER.filter((f) => f !== 'errorType' && f !== 'errorMessage'),
    );
    expect(stored.activeSession.user).toBe(SERVICE_KEY.name);
    expect(stored.activeSession.ipaddress).toBe('127.0.0.1');
    expect(stored.activeSession.timestamp).toMatch(ISO_UTC_MS);
  });

  it('stores an entry exactly as the WebSocket does (same fields, order and values)', async () => {
    // Arrange
    const over = {
      errorType: 'validation',
      errorCode: -1,
      errorMessage: 'naïve 😀 "q" \\ \n',
      unknown: 1,
    };
    const viaWs = validEntry(over);
    const viaHttp = validEntry(over);
    const client = await openClient(service.wsUrl(), { headers: { 'x-api-key': SERVICE_KEY.key } });

    // Act
    client.send(batchFrame(1, [viaWs]));
    await client.next(1);
    const res = await post([line(viaHttp)]);

    // Assert
    expect(res.status).toBe(200);
    const index = await storedById();
    const [ws] = index.get(viaWs.correlationId!)!;
    const [http] = index.get(viaHttp.correlationId!)!;
    const comparable = (e: StoredEntry) => ({
      ...e,
      correlationId: 'id',
      activeSession: { ...e.activeSession, timestamp: 'at' },
    });
    expect(JSON.stringify(comparable(http))).toBe(JSON.stringify(comparable(ws)));
  });

  it('takes a JSON array: valid entries stored, invalid ones rejected by array index', async () => {
    // Arrange
    const good = [validEntry(), validEntry()];
    const body = [good[0], { ...validEntry(), level: 'debug' }, 'text', good[1]];

    // Act
    const res = await post([JSON.stringify(body)], 'application/json');

    // Assert
    expect(res.status).toBe(200);
    const answer = res.json as IngestBody;
    expect(answer.accepted).toBe(2);
    expect(answer.rejected.map((r) => r.index)).toEqual([1, 2]);
    expect(answer.rejected[0].errors).toEqual([
      { field: 'level', message: 'level must be one of: info, warning, error' },
    ]);
    expect(await counts(good.map((e) => e.correlationId!))).toEqual([1, 1]);
  });

  it('takes NDJSON: blank lines skipped, \\r\\n endings, a broken line rejected by its line number', async () => {
    // Arrange
    const good = [validEntry(), validEntry(), validEntry()];
    const body =
      `${JSON.stringify(good[0])}\r\n\n   \n{"level":"info",\n` +
      `${JSON.stringify({ ...validEntry(), project: '' })}\n${JSON.stringify(good[1])}\n` +
      `${JSON.stringify(good[2])}`;
    // Cut the body in the middle of lines.
    const chunks = [body.slice(0, 17), body.slice(17, 130), body.slice(130)];

    // Act
    const res = await post(chunks, 'application/x-ndjson; charset=utf-8');

    // Assert
    expect(res.status).toBe(200);
    const answer = res.json as IngestBody;
    expect(answer.accepted).toBe(3);
    expect(answer.rejected).toEqual([
      { index: 3, errors: [{ field: 'entry', message: 'malformed JSON' }] },
      { index: 4, errors: [{ field: 'project', message: expect.any(String) }] },
    ]);
    expect(await counts(good.map((e) => e.correlationId!))).toEqual([1, 1, 1]);
    const stored = (await storedById()).get(good[0].correlationId!)!;
    expect(stored[0].project).toBe('absences');
  });

  it.each(['application/json', 'text/plain', null])(
    'reads a body of one object a line sent as %s as NDJSON',
    async (type) => {
      // Arrange
      const good = [validEntry(), validEntry()];

      // Act
      const res = await post([good.map(line).join('')], type);

      // Assert
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ accepted: 2, rejected: [] });
      expect(await counts(good.map((e) => e.correlationId!))).toEqual([1, 1]);
    },
  );

  it('answers 400 and stores nothing when no entry is valid, listing every rejection', async () => {
    // Act
    const res = await post([`{"level":"nope"}\n\n{oops\n`]);

    // Assert
    expect(res.status).toBe(400);
    const body = res.json as {
      status: number;
      message: string;
      errors: unknown[];
      rejected: unknown[];
    };
    expect(body.status).toBe(400);
    expect(body.message).toMatch(/no valid log entry/);
    expect(body.errors.length).toBeGreaterThan(0);
    expect((body.rejected as { index: number }[]).map((r) => r.index)).toEqual([0, 2]);
  });

  it('answers 400 to an empty body or one of blank lines only', async () => {
    expect((await post([])).status).toBe(400);
    expect((await post(['\n \n\r\n'])).status).toBe(400);
  });

  it.each([
    ['no key', null],
    ['an unknown key', 'not-a-key'],
  ])('answers 401 to %s and stores nothing', async (_what, key) => {
    // Arrange
    const entry = validEntry();

    // Act
    const res = await post([line(entry)], 'application/x-ndjson', key);

    // Assert
    expect(res.status).toBe(401);
    expect(res.json).toEqual({ status: 401, message: expect.any(String), errors: [] });
    expect(await counts([entry.correlationId!])).toEqual([0]);
  });

  it('answers 415 naming the accepted types to another content type, storing nothing', async () => {
    // Arrange
    const entry = validEntry();

    // Act
    const res = await post([line(entry)], 'application/x-www-form-urlencoded');

    // Assert
    expect(res.status).toBe(415);
    expect((res.json as { message: string }).message).toContain('application/x-ndjson');
    expect(await counts([entry.correlationId!])).toEqual([0]);
  });

  it('answers 413 to a body over HTTP_MAX_BODY and stores none of it, valid lines included', async () => {
    // Arrange: valid entries first, in chunks, the limit passed only near the end
    const entries = Array.from({ length: 40 }, () => validEntry());
    const lines = entries.map(line);
    expect(lines.join('').length).toBeGreaterThan(HTTP_MAX_BODY);

    // Act: chunked (no Content-Length), so the limit is found while reading
    const res = await post(lines);

    // Assert
    expect(res.status).toBe(413);
    expect(await counts(entries.map((e) => e.correlationId!))).toEqual(entries.map(() => 0));
  });

  it('answers 413 to a declared Content-Length over HTTP_MAX_BODY', async () => {
    // Arrange
    const entry = validEntry();
    const body = line(entry).padEnd(HTTP_MAX_BODY + 1, ' ');

    // Act
    const res = await postLogs(service.httpUrl, SERVICE_KEY.key, [body], 'application/x-ndjson', {
      'content-length': Buffer.byteLength(body),
    });

    // Assert
    expect(res.status).toBe(413);
    expect(await counts([entry.correlationId!])).toEqual([0]);
  });

  it('accepts a body of exactly HTTP_MAX_BODY bytes', async () => {
    // Arrange
    const entry = validEntry({ correlationId: uniqueId('exact') });
    const body = line(entry).padEnd(HTTP_MAX_BODY, '\n');

    // Act
    const res: HttpReply = await post([body]);

    // Assert
    expect(Buffer.byteLength(body)).toBe(HTTP_MAX_BODY);
    expect(res.status).toBe(200);
    expect(await counts([entry.correlationId!])).toEqual([1]);
  });
});

describe('POST /logs when storage fails', () => {
  afterAll(() => stopAllServices());

  it('answers 503 in the error body, and stores nothing of the body', async () => {
    // Arrange: today's day file is a directory, so the file sink cannot open it
    const service = await startService();
    const today = new Date().toISOString().slice(0, 10);
    await mkdir(join(service.logDir, `${today}.jsonl`), { recursive: true });
    const entries = [validEntry(), validEntry()];

    // Act
    const res = await postLogs(service.httpUrl, SERVICE_KEY.key, [entries.map(line).join('')]);

    // Assert
    expect(res.status).toBe(503);
    expect(res.json).toEqual({
      status: 503,
      message: expect.stringContaining('storage unavailable'),
      errors: [],
    });
    const files = await readdir(service.logDir, { withFileTypes: true });
    expect(files.filter((f) => f.isFile()).map((f) => f.name)).toEqual([]);
    const metrics = parsePrometheus((await httpGet(`${service.httpUrl}/metrics`)).body);
    expect(sampleValue(metrics, 'logger_entries_rejected_total', { reason: 'unavailable' })).toBe(
      2,
    );
    expect(sampleValue(metrics, 'logger_entries_stored_total', { sink: 'file' })).toBe(0);
    expect(service.isRunning).toBe(true);
  });
});

describe('POST /logs while draining (SPEC §7)', () => {
  afterEach(() => terminateAllClients());
  afterAll(() => stopAllServices());

  it('answers and stores a request read during the drain, with Connection: close', async () => {
    // Arrange: a WebSocket client that keeps sending keeps the drain going (it waits for quiet)
    const service = await startService();
    const client = await openClient(service.wsUrl(), { headers: { 'x-api-key': SERVICE_KEY.key } });
    const ticker = setInterval(() => client.send(logFrame(validEntry())), 20);
    const entry = validEntry();
    const keptAlive = (e: object) =>
      postLogs(service.httpUrl, SERVICE_KEY.key, [line(e)], 'application/x-ndjson', {}, true);
    // Before the signal a keep-alive request stays open.
    expect((await keptAlive(validEntry())).headers.connection).toBe('keep-alive');
    try {
      service.child.kill('SIGTERM');
      while ((await httpGet(`${service.httpUrl}/health/ready`)).status !== 503) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }

      // Act
      const res = await keptAlive(entry);

      // Assert
      expect(res.status).toBe(200);
      expect(res.headers.connection).toBe('close');
    } finally {
      clearInterval(ticker);
    }
    expect(await service.waitForExit(15_000)).toEqual({ code: 0, signal: null });
    const stored = byCorrelationId(await readStored(service.logDir)).get(entry.correlationId!);
    expect(stored?.length).toBe(1);
  });
});
