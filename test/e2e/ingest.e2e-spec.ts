import { jest } from '@jest/globals';
import {
  ACK_ONE,
  STORED_FIELD_ORDER,
  batchFrame,
  logFrame,
  uniqueId,
  validEntry,
  type EntryInput,
} from '../support/entries.js';
import {
  SERVICE_KEY,
  startService,
  stopAllServices,
  type ServiceProcess,
} from '../support/service-process.js';
import {
  byCorrelationId,
  readStored,
  readStoredFiles,
  type StoredEntry,
} from '../support/stored.js';
import {
  openClient,
  terminateAllClients,
  type Reply,
  type WsClient,
} from '../support/ws-client.js';

/** SPEC §1 (the stored entry) and §3 (the protocol) over a real socket to the built service. */

// Each file boots real processes; a test or hook that takes longer than this is stuck.
jest.setTimeout(30_000);

const BATCH_MAX_ENTRIES = 5;
const WS_MAX_PAYLOAD = 65_536;
const ISO_UTC_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('ingest over WebSocket', () => {
  let service: ServiceProcess;

  beforeAll(async () => {
    service = await startService({
      env: { BATCH_MAX_ENTRIES: String(BATCH_MAX_ENTRIES), WS_MAX_PAYLOAD: String(WS_MAX_PAYLOAD) },
    });
  });

  afterEach(() => terminateAllClients());
  afterAll(() => stopAllServices());

  const connect = (): Promise<WsClient> =>
    openClient(service.wsUrl(), { headers: { 'x-api-key': SERVICE_KEY.key } });

  /** The stored entries with these correlationIds, each expected exactly once. */
  async function storedOnce(...ids: string[]): Promise<StoredEntry[]> {
    const index = byCorrelationId(await readStored(service.logDir));
    expect(ids.map((id) => index.get(id)?.length ?? 0)).toEqual(ids.map(() => 1));
    return ids.map((id) => index.get(id)![0]);
  }

  async function storedCount(ids: readonly string[]): Promise<number> {
    const index = byCorrelationId(await readStored(service.logDir));
    return ids.reduce((n, id) => n + (index.get(id)?.length ?? 0), 0);
  }

  describe('log', () => {
    it('acks with {"accepted":1} and stores the entry exactly, with the server session', async () => {
      const connectedFrom = Date.now();
      const client = await connect();
      const connectedBy = Date.now();
      const sent = validEntry({
        errorType: 'validation',
        errorCode: -2147483648,
        errorMessage: 'naïve ✓ 😀 "quoted" \\ \n line',
        activeSession: {
          user: 'mallory',
          timestamp: '2020-01-01T00:00:00Z',
          ipaddress: '6.6.6.6',
        },
        extra: 1,
        nested: { deep: true },
      });
      const later = validEntry({ level: 'error' });

      client.send(logFrame(sent));
      await client.next(1);
      client.send(logFrame(later));
      await client.next(2);

      expect(client.raw).toEqual([ACK_ONE, ACK_ONE]);
      const [stored, storedLater] = await storedOnce(sent.correlationId!, later.correlationId!);
      expect(Object.keys(stored)).toEqual([...STORED_FIELD_ORDER]);
      expect(stored).toEqual({
        timestamp: sent.timestamp,
        correlationId: sent.correlationId,
        level: 'info',
        project: 'absences',
        system: 'frontend',
        module: 'AddCompanies',
        action: 'saveHandler',
        errorType: 'validation',
        errorCode: -2147483648,
        errorMessage: sent.errorMessage,
        activeSession: {
          user: SERVICE_KEY.name,
          timestamp: expect.any(String),
          ipaddress: '127.0.0.1',
        },
      });
      expect(Object.keys(stored.activeSession)).toEqual(['user', 'timestamp', 'ipaddress']);
      expect(stored.activeSession.timestamp).toMatch(ISO_UTC_MS);
      const sessionAt = Date.parse(stored.activeSession.timestamp);
      expect(sessionAt).toBeGreaterThanOrEqual(connectedFrom);
      expect(sessionAt).toBeLessThanOrEqual(connectedBy);
      // The session is the connection's: the same connect time on every entry sent over it.
      expect(storedLater.activeSession).toEqual(stored.activeSession);
    });

    it('fills in timestamp (receipt time, UTC ms) and correlationId (UUID v4) when absent', async () => {
      const client = await connect();
      const actions = [uniqueId('defaults'), uniqueId('defaults')];
      const sentFrom = Date.now();
      for (const action of actions) {
        const entry = validEntry({ action });
        delete entry.timestamp;
        delete entry.correlationId;
        client.send(logFrame(entry));
      }
      await client.next(2);
      const ackedBy = Date.now();

      expect(client.raw).toEqual([ACK_ONE, ACK_ONE]);
      const files = await readStoredFiles(service.logDir);
      const found = files.flatMap((f) =>
        f.entries
          .filter((e) => actions.includes(e.action))
          .map((entry) => ({ file: f.name, entry })),
      );
      expect(found.map((f) => f.entry.action)).toEqual(actions);
      const ids = found.map((f) => f.entry.correlationId);
      expect(new Set(ids).size).toBe(2);
      for (const { file, entry } of found) {
        expect(Object.keys(entry)).toEqual(
          STORED_FIELD_ORDER.filter((k) => !k.startsWith('error')),
        );
        expect(entry.correlationId).toMatch(UUID_V4);
        expect(entry.timestamp).toMatch(ISO_UTC_MS);
        const at = Date.parse(entry.timestamp);
        expect(at).toBeGreaterThanOrEqual(sentFrom);
        expect(at).toBeLessThanOrEqual(ackedBy);
        // The file is the UTC day of receipt.
        expect(file).toBe(`${entry.timestamp.slice(0, 10)}.jsonl`);
      }
    });

    it('stores the given timestamp as given, in the file of the receipt day', async () => {
      const client = await connect();
      const sent = validEntry({ timestamp: '2019-12-31T23:59:59.5-05:00' });
      const sentFrom = new Date().toISOString().slice(0, 10);
      client.send(logFrame(sent));
      await client.next(1);
      const ackedBy = new Date().toISOString().slice(0, 10);

      expect(client.raw).toEqual([ACK_ONE]);
      const files = await readStoredFiles(service.logDir);
      const holders = files.filter((f) =>
        f.entries.some((e) => e.correlationId === sent.correlationId),
      );
      expect(holders).toHaveLength(1);
      expect([`${sentFrom}.jsonl`, `${ackedBy}.jsonl`]).toContain(holders[0].name);
      const [stored] = await storedOnce(sent.correlationId!);
      expect(stored.timestamp).toBe('2019-12-31T23:59:59.5-05:00');
    });

    it('accepts values at the limits (lengths in code points, 32-bit errorCode)', async () => {
      const client = await connect();
      const entries = [
        validEntry({
          project: 'p'.repeat(128),
          errorCode: 2147483647,
          errorType: 't'.repeat(64),
        }),
        validEntry({ errorMessage: '😀'.repeat(8192), module: '模'.repeat(128) }),
        validEntry({ correlationId: `c-${'x'.repeat(126)}`, timestamp: '2026-01-21T10:30:00Z' }),
      ];
      for (const entry of entries) client.send(logFrame(entry));
      await client.next(entries.length);

      expect(client.replies).toEqual(entries.map(() => ({ event: 'ack', data: { accepted: 1 } })));
      const stored = await storedOnce(...entries.map((e) => e.correlationId!));
      expect(stored[1].errorMessage).toBe(entries[1].errorMessage);
      expect(stored[1].module).toBe(entries[1].module);
    });

    it('answers an invalid entry with error 400 naming the field, and stores nothing', async () => {
      const client = await connect();
      const without = (field: string): EntryInput => {
        const entry = validEntry();
        delete entry[field];
        return entry;
      };
      const withValue = (field: string, value: unknown): EntryInput => {
        const entry = validEntry();
        entry[field] = value;
        return entry;
      };
      const cases: [string, EntryInput][] = [
        ['level', validEntry({ level: 'debug' })],
        ['project', without('project')],
        ['system', without('system')],
        ['module', without('module')],
        ['action', without('action')],
        ['project', validEntry({ project: '' })],
        ['module', validEntry({ module: 'm'.repeat(129) })],
        ['action', withValue('action', 42)],
        ['errorType', validEntry({ errorType: 't'.repeat(65) })],
        ['errorCode', validEntry({ errorCode: 1.5 })],
        ['errorCode', validEntry({ errorCode: 2147483648 })],
        ['errorCode', withValue('errorCode', '7')],
        ['errorMessage', validEntry({ errorMessage: 'e'.repeat(8193) })],
        ['timestamp', validEntry({ timestamp: '2026-02-30T00:00:00Z' })],
        ['timestamp', validEntry({ timestamp: '2026-01-21T10:30:00' })],
        ['timestamp', validEntry({ timestamp: 'yesterday' })],
        ['project', validEntry({ project: 'nul\u0000byte' })],
        ['system', validEntry({ system: 'lone \ud800 surrogate' })],
      ];
      const tooLongId = validEntry({
        correlationId: 'c'.repeat(129),
        action: uniqueId('long-id'),
      });
      for (const [, entry] of cases) client.send(logFrame(entry));
      client.send(logFrame(tooLongId));
      client.send(logFrame(validEntry()));
      const replies = await client.next(cases.length + 2);

      const fieldsOf = (r: Reply) => (r.data.errors ?? []).map((e) => e.field);
      const mismatches = cases
        .map(([field, entry], i) => ({ field, entry, reply: replies[i] }))
        .filter(
          ({ field, reply }) =>
            reply.event !== 'error' ||
            reply.data.status !== 400 ||
            !fieldsOf(reply).includes(field),
        );
      expect(mismatches).toEqual([]);
      expect(replies[cases.length]).toMatchObject({ event: 'error', data: { status: 400 } });
      expect(fieldsOf(replies[cases.length])).toContain('correlationId');
      expect(
        replies
          .slice(0, -1)
          .every((r) => r.data.errors!.every((e) => typeof e.message === 'string')),
      ).toBe(true);
      expect(client.raw.at(-1)).toBe(ACK_ONE);
      const stored = await readStored(service.logDir);
      const sentIds = new Set(cases.map(([, e]) => e.correlationId));
      expect(
        stored.filter((e) => sentIds.has(e.correlationId) || e.action === tooLongId.action),
      ).toEqual([]);
    });
  });

  describe('batch', () => {
    it('stores the valid entries, reports the invalid ones by index and echoes seq', async () => {
      const client = await connect();
      const first = validEntry();
      const last = validEntry({ level: 'warning' });
      // BATCH_MAX_ENTRIES=5: two valid entries around three invalid ones.
      const invalid = [
        validEntry({ project: '' }),
        5,
        validEntry({ timestamp: '2026-02-30T00:00:00Z' }),
      ];
      client.send(batchFrame(17, [first, ...invalid, last]));
      const [reply] = await client.next(1);

      expect(reply).toMatchObject({ event: 'ack', data: { seq: 17, accepted: 2 } });
      expect(reply.data.rejected!.map((r) => r.index)).toEqual([1, 2, 3]);
      const fields = reply.data.rejected!.map((r) => r.errors.map((e) => e.field));
      expect(fields[0]).toContain('project');
      expect(fields[2]).toContain('timestamp');
      expect(reply.data.rejected!.every((r) => r.errors.length > 0)).toBe(true);
      await storedOnce(first.correlationId!, last.correlationId!);
      const invalidIds = invalid.flatMap((e) => (typeof e === 'object' ? [e.correlationId!] : []));
      expect(await storedCount(invalidIds)).toBe(0);
    });

    it(`accepts BATCH_MAX_ENTRIES (${BATCH_MAX_ENTRIES}) entries, refuses an empty or larger batch with 400`, async () => {
      const client = await connect();
      const full = Array.from({ length: BATCH_MAX_ENTRIES }, () => validEntry());
      const over = Array.from({ length: BATCH_MAX_ENTRIES + 1 }, () => validEntry());
      client.send(batchFrame(1, full));
      client.send(batchFrame(2, []));
      client.send(batchFrame(3, over));
      client.send({ event: 'batch', data: { seq: 4, entries: 'none' } });
      const replies = await client.next(4);

      expect(replies[0]).toMatchObject({
        event: 'ack',
        data: { seq: 1, accepted: BATCH_MAX_ENTRIES },
      });
      expect(replies[0].data.rejected ?? []).toEqual([]);
      expect(replies.slice(1)).toEqual([
        { event: 'error', data: expect.objectContaining({ status: 400 }) },
        { event: 'error', data: expect.objectContaining({ status: 400 }) },
        { event: 'error', data: expect.objectContaining({ status: 400 }) },
      ]);
      await storedOnce(...full.map((e) => e.correlationId!));
      expect(await storedCount(over.map((e) => e.correlationId!))).toBe(0);
    });
  });

  describe('frames that are not a valid request', () => {
    it('answers each with error 400 and keeps the socket open', async () => {
      const client = await connect();
      const frames = [
        '{bad',
        '[1,2]',
        '"text"',
        'null',
        '42',
        '{"event":"nope","data":{}}',
        '{"data":{}}',
      ];
      for (const frame of frames) client.send(frame);
      const inBinary = validEntry();
      client.sendBytes(Buffer.from(JSON.stringify(logFrame(inBinary))), true);
      const after = validEntry();
      client.send(logFrame(after));
      const replies = await client.next(frames.length + 2);

      const errors = replies.slice(0, -1);
      expect(errors).toEqual(
        errors.map(() => ({ event: 'error', data: expect.objectContaining({ status: 400 }) })),
      );
      expect(errors.every((r) => typeof r.data.message === 'string')).toBe(true);
      expect(client.raw.at(-1)).toBe(ACK_ONE);
      await storedOnce(after.correlationId!);
      expect(await storedCount([inBinary.correlationId!])).toBe(0);
    });

    it('answers subscribe and unsubscribe with an ingest-only key with error 403', async () => {
      const client = await connect();
      client.send({ event: 'subscribe', data: { level: 'error' } });
      client.send({ event: 'unsubscribe' });
      client.send(logFrame(validEntry()));
      const replies = await client.next(3);

      expect(replies.slice(0, 2)).toEqual([
        { event: 'error', data: expect.objectContaining({ status: 403 }) },
        { event: 'error', data: expect.objectContaining({ status: 403 }) },
      ]);
      expect(client.raw[2]).toBe(ACK_ONE);
    });
  });

  it('answers 500 pipelined frames strictly in the order they were sent', async () => {
    const client = await connect();
    const plan = pipelinePlan(500);
    for (const step of plan) client.send(step.frame);
    const replies = await client.next(plan.length);

    const mismatches = plan
      .map((step, i) => ({ i, kind: step.kind, reply: replies[i], ok: step.matches(replies[i]) }))
      .filter((m) => !m.ok);
    expect(mismatches).toEqual([]);
    const storedIds = plan.flatMap((step) => step.storedIds);
    await storedOnce(...storedIds);
    expect(await storedCount(plan.flatMap((step) => step.rejectedIds))).toBe(0);
  });

  describe('protocol violations close the socket', () => {
    it(`accepts a frame of exactly WS_MAX_PAYLOAD bytes and closes with 1009 on one byte more`, async () => {
      const client = await connect();
      const fits = frameOfBytes(WS_MAX_PAYLOAD);
      client.send(fits.text);
      await client.next(1);
      client.send(frameOfBytes(WS_MAX_PAYLOAD + 1).text);

      expect(client.raw[0]).toBe(ACK_ONE);
      expect(await client.closed).toBe(1009);
      const [stored] = await storedOnce(fits.correlationId);
      expect(stored).not.toHaveProperty('pad');
    });

    it('closes with 1007 on a text frame that is not valid UTF-8', async () => {
      const client = await connect();
      client.sendBytes(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]), false);

      expect(await client.closed).toBe(1007);
      expect(client.replies).toEqual([]);
    });
  });
});

interface PipelineStep {
  kind: string;
  frame: unknown;
  matches: (reply: Reply | undefined) => boolean;
  storedIds: string[];
  rejectedIds: string[];
}

/** A deterministic mix of every kind of frame, each with what its reply must be. */
function pipelinePlan(count: number): PipelineStep[] {
  const isError = (status: number) => (r: Reply | undefined) =>
    r?.event === 'error' && r.data.status === status;
  return Array.from({ length: count }, (_, i): PipelineStep => {
    switch (i % 6) {
      case 0: {
        const entry = validEntry();
        const matches = (r?: Reply) =>
          r?.event === 'ack' && r.data.accepted === 1 && r.data.seq === undefined;
        return {
          kind: 'log',
          frame: logFrame(entry),
          matches,
          storedIds: [entry.correlationId!],
          rejectedIds: [],
        };
      }
      case 1: {
        const good = Array.from({ length: (i % 4) + 1 }, () => validEntry());
        const bad = validEntry({ level: 'trace' });
        const matches = (r?: Reply) =>
          r?.event === 'ack' &&
          r.data.seq === i &&
          r.data.accepted === good.length &&
          JSON.stringify(r.data.rejected?.map((x) => x.index)) === JSON.stringify([good.length]);
        const frame = batchFrame(i, [...good, bad]);
        return {
          kind: 'batch',
          frame,
          matches,
          storedIds: good.map((e) => e.correlationId!),
          rejectedIds: [bad.correlationId!],
        };
      }
      case 2:
        return {
          kind: 'malformed',
          frame: `{"event":"log","data":{${i}`,
          matches: isError(400),
          storedIds: [],
          rejectedIds: [],
        };
      case 3: {
        const entry = validEntry({ level: 'verbose' });
        return {
          kind: 'invalid log',
          frame: logFrame(entry),
          matches: isError(400),
          storedIds: [],
          rejectedIds: [entry.correlationId!],
        };
      }
      case 4:
        return {
          kind: 'unknown event',
          frame: { event: `nope-${i}`, data: {} },
          matches: isError(400),
          storedIds: [],
          rejectedIds: [],
        };
      default: {
        const entries = [validEntry(), validEntry()];
        const matches = (r?: Reply) =>
          r?.event === 'ack' && r.data.seq === i && r.data.accepted === 2;
        return {
          kind: 'batch',
          frame: batchFrame(i, entries),
          matches,
          storedIds: entries.map((e) => e.correlationId!),
          rejectedIds: [],
        };
      }
    }
  });
}

/** A valid log frame padded (with an unknown field, which is dropped) to exactly `bytes` bytes. */
function frameOfBytes(bytes: number): { text: string; correlationId: string } {
  const entry = validEntry({ pad: '' });
  const bare = Buffer.byteLength(JSON.stringify(logFrame(entry)));
  entry.pad = 'x'.repeat(bytes - bare);
  const text = JSON.stringify(logFrame(entry));
  if (Buffer.byteLength(text) !== bytes) throw new Error('frameOfBytes: size mismatch');
  return { text, correlationId: entry.correlationId! };
}
