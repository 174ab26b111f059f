import { jest } from '@jest/globals';
import { createLogger, type Logger, type LoggerOptions } from './index.js';
import type { FieldError, LogEntry } from './log-entry.js';
import { startFakeServer, type FakeServer } from './testing/fake-log-server.js';
import { waitFor } from './testing/wait-for.js';

jest.setTimeout(15_000);

const FAST = { minDelayMs: 1, maxDelayMs: 10 };
let server: FakeServer;
const loggers: Logger[] = [];

function logger(over: Partial<LoggerOptions> = {}): Logger {
  const l = createLogger({
    url: server.url,
    apiKey: 'key-1',
    project: 'proj',
    system: 'backend',
    lingerMs: 5,
    reconnect: FAST,
    ...over,
  });
  l.on('error', () => undefined);
  loggers.push(l);
  return l;
}

const actions = () => server.stored.map((e) => e.action);
const range = (n: number) => Array.from({ length: n }, (_, i) => `a${i}`);

async function send(l: Logger, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await l.info('Mod', `a${i}`);
}

beforeEach(async () => {
  server = await startFakeServer();
});

afterEach(async () => {
  await Promise.all(loggers.splice(0).map((l) => l.close().catch(() => undefined)));
  await server.stop();
});

describe('Logger', () => {
  it('sends full batches at once and the rest after lingerMs; flush resolves once all is acked', async () => {
    const l = logger({ batchSize: 10, lingerMs: 20 });

    await send(l, 25);
    await l.flush();

    expect(server.frames).toEqual([10, 10, 5]);
    expect(actions()).toEqual(range(25));
    expect(l.stats()).toEqual({
      sent: 25,
      acked: 25,
      rejected: 0,
      dropped: 0,
      resent: 0,
      buffered: 0,
    });
  });

  it('fills project/system from the logger and keeps the caller fields', async () => {
    const l = logger();

    await l.error('Pay', 'charge', { correlationId: 'c-1', errorCode: 402, errorType: 'card' });
    await l.log({ level: 'warning', module: 'M', action: 'x', project: 'other' });
    await l.flush();

    expect(server.stored).toEqual([
      {
        correlationId: 'c-1',
        errorCode: 402,
        errorType: 'card',
        level: 'error',
        module: 'Pay',
        action: 'charge',
        project: 'proj',
        system: 'backend',
      },
      { level: 'warning', module: 'M', action: 'x', project: 'other', system: 'backend' },
    ]);
    expect(server.handshakes[0]).toEqual({ apiKey: 'key-1', producerId: undefined });
  });

  it('reports each refused entry as a rejected event with the server errors', async () => {
    const l = logger();
    const rejected: { entry: LogEntry; errors: FieldError[] }[] = [];
    l.on('rejected', (r) => rejected.push(r));

    await l.info('M', 'good');
    await l.log({ level: 'loud' as never, module: 'M', action: 'bad' });
    await l.flush();

    expect(rejected).toEqual([
      {
        entry: { project: 'proj', system: 'backend', level: 'loud', module: 'M', action: 'bad' },
        errors: [{ field: 'level', message: 'bad level' }],
      },
    ]);
    expect(l.stats()).toMatchObject({ acked: 1, rejected: 1, buffered: 0 });
  });

  it('drop-oldest keeps the newest maxBuffered entries while the service is away', async () => {
    server.refuseWith(503);
    const l = logger({ maxBuffered: 5, batchSize: 100 });
    const dropped: number[] = [];
    l.on('dropped', (d) => dropped.push(d.count));

    await send(l, 8);
    server.refuseWith(undefined);
    await l.flush();

    expect(actions()).toEqual(['a3', 'a4', 'a5', 'a6', 'a7']);
    expect(dropped).toEqual([1, 1, 1]);
    expect(l.stats()).toMatchObject({ acked: 5, dropped: 3, buffered: 0 });
  });

  it("'block' makes the caller wait for room, and loses nothing", async () => {
    server.refuseWith(503);
    const l = logger({ maxBuffered: 2, onFull: 'block' });
    let third = false;

    await send(l, 2);
    const pending = l.info('Mod', 'a2').then(() => (third = true));
    await waitFor(() => server.handshakes.length >= 3, 'a few refused attempts');
    expect(third).toBe(false);
    server.refuseWith(undefined);
    await pending;
    await l.flush();

    expect(actions()).toEqual(range(3));
  });

  it('without producerId resends what was in flight after a drop: at least once, counted', async () => {
    const l = logger({ batchSize: 5 });
    server.plan(['ack', 'kill-after', 'ack']);

    await send(l, 15);
    await l.flush();

    // The second batch was stored, its ack lost, and it was sent again with the third one, which
    // was in flight behind it and never read.
    expect(actions()).toEqual([...range(10), ...range(15).slice(5)]);
    expect(l.stats()).toMatchObject({ acked: 15, resent: 10, sent: 25, buffered: 0 });
  });

  it('with producerId stores every entry exactly once across drops, in order', async () => {
    const l = logger({ batchSize: 5, producerId: 'orders-1' });
    server.plan(['ack', 'kill-after', 'kill-before', 'ack', 'kill-after']);

    await send(l, 25);
    await l.flush();

    expect(actions()).toEqual(range(25));
    expect(server.handshakes.every((h) => h.producerId === 'orders-1')).toBe(true);
    expect(l.stats()).toMatchObject({ acked: 25, rejected: 0, buffered: 0 });
  });

  it('a duplicate ack (a lagging hello) counts once as acked', async () => {
    const l = logger({ batchSize: 1, lingerMs: 0, producerId: 'p-dup' });
    server.plan(['kill-lagging']);

    await l.info('Mod', 'a0');
    await l.flush();

    expect(server.duplicates()).toBe(1);
    expect(actions()).toEqual(['a0']);
    expect(l.stats()).toEqual({
      sent: 2,
      acked: 1,
      rejected: 0,
      dropped: 0,
      resent: 1,
      buffered: 0,
    });
  });

  it('a restarted producer numbers its batches after the hello lastSeq', async () => {
    const first = logger({ producerId: 'p-restart' });
    await send(first, 3);
    await first.close();

    const second = logger({ producerId: 'p-restart' });
    await second.info('Mod', 'later');
    await second.flush();

    expect(actions()).toEqual([...range(3), 'later']);
    expect(server.duplicates()).toBe(0);
  });

  it('renumbers from a 409 expected when the service forgot the stream', async () => {
    const l = logger({ batchSize: 2, lingerMs: 0, producerId: 'p-forget' });
    server.plan(['forget']);

    await send(l, 6);
    await l.flush();

    expect(actions()).toEqual(range(6));
    expect(l.stats()).toMatchObject({ acked: 6, buffered: 0 });
  });

  it('waits after a 429 and after a 503, then sends the batch again', async () => {
    const l = logger({ batchSize: 3, lingerMs: 0 });
    server.plan(['429', '503']);

    await send(l, 3);
    await l.flush();

    expect(actions()).toEqual(range(3));
    expect(server.frames).toEqual([3, 3, 3]);
    expect(l.stats()).toMatchObject({ sent: 9, resent: 6, acked: 3 });
  });

  it('with producerId a 503 (the stream broke on that connection) reconnects and resends', async () => {
    // Arrange: SPEC §8 refuses every later batch on that connection; only a new one goes on.
    const l = logger({ batchSize: 3, lingerMs: 0, producerId: 'p-503' });
    server.plan(['503']);

    // Act
    await send(l, 3);
    await l.flush();

    // Assert
    expect(server.handshakes).toHaveLength(2);
    expect(actions()).toEqual(range(3));
    expect(l.stats()).toMatchObject({ acked: 3, buffered: 0 });
  });

  it('on close 1012 reconnects at once to the next url of the list', async () => {
    const other = await startFakeServer();
    try {
      const l = logger({ url: [server.url, other.url], batchSize: 1 });
      const connected: string[] = [];
      l.on('connected', (e) => connected.push(e.url));
      server.plan(['restart']);

      await l.info('M', 'first');
      await l.flush();
      await l.info('M', 'second');
      await l.flush();

      expect(connected).toEqual([server.url, other.url]);
      expect(actions()).toEqual(['first']);
      expect(other.stored.map((e) => e.action)).toEqual(['second']);
    } finally {
      await other.stop();
    }
  });

  it('4401 closes it for good: flush and later calls reject saying why', async () => {
    const l = logger();
    const disconnected: number[] = [];
    l.on('disconnected', (d) => disconnected.push(d.code));
    await waitFor(() => server.handshakes.length === 1, 'the connection');
    await l.flush();

    await l.info('M', 'a');
    server.closeAll(4401, 'session revoked');

    await expect(l.flush()).rejects.toThrow(/revoked the session \(close 4401\)/);
    await expect(l.info('M', 'b')).rejects.toThrow(/4401/);
    expect(disconnected).toEqual([4401]);
  });

  it('gives up after maxRetries consecutive failed attempts; flush rejects with the count', async () => {
    server.refuseWith(503);
    const l = logger({ reconnect: { ...FAST, maxRetries: 3 } });
    const errors: string[] = [];
    l.on('error', (e) => errors.push(e.message));

    await l.info('M', 'a');

    await expect(l.flush()).rejects.toThrow(/retries exhausted: 3 consecutive failed attempts/);
    expect(server.handshakes).toHaveLength(3);
    expect(errors.at(-1)).toMatch(/retries exhausted/);
  });

  it('gives up at once when the service refuses the key (401)', async () => {
    server.refuseWith(401);
    const l = logger();

    await l.info('M', 'a');

    await expect(l.flush()).rejects.toThrow(/refused the connection .*HTTP 401/);
    expect(server.handshakes).toHaveLength(1);
  });

  it('an error event without a listener does not throw', async () => {
    server.refuseWith(401);
    const l = createLogger({ url: server.url, apiKey: 'k', project: 'p', system: 's' });
    loggers.push(l);

    await l.info('M', 'a');
    await waitFor(() => server.handshakes.length === 1, 'the refused attempt');
    await expect(l.close()).rejects.toThrow(/401/);
  });

  it('close() flushes, then refuses new entries', async () => {
    const l = logger();

    await send(l, 3);
    await l.close();

    expect(actions()).toEqual(range(3));
    await expect(l.info('M', 'late')).rejects.toThrow(/closed/);
    await expect(l.flush()).rejects.toThrow(/closed/);
  });
});
