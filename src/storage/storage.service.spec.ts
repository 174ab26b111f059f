import type { EntryGroup } from './sinks/entry-group.js';
import type { LogSink } from './sinks/log-sink.interface.js';
import { StorageUnavailableError } from './storage-unavailable.error.js';
import { StorageService } from './storage.service.js';

/** Records every write; each write stays pending until the test settles it. */
class RecordingSink implements LogSink {
  readonly kind = 'fake';
  readonly writes: { day: string; lines: string[] }[] = [];
  readonly groups: EntryGroup[] = [];
  readonly pending: { resolve: () => void; reject: (err: Error) => void }[] = [];
  inFlight = 0;
  maxInFlight = 0;
  closed = false;

  write(groups: readonly EntryGroup[]): Promise<void> {
    const [{ day, lines }] = groups;
    this.groups.push(...groups);
    this.writes.push({ day, lines: [...lines] });
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    return new Promise<void>((resolve, reject) => {
      const done = () => this.inFlight--;
      this.pending.push({
        resolve: () => (done(), resolve()),
        reject: (err) => (done(), reject(err)),
      });
    });
  }

  check(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }

  /** Settles the oldest pending write. */
  succeed(): void {
    this.pending.shift()!.resolve();
  }

  fail(err: Error): void {
    this.pending.shift()!.reject(err);
  }
}

/** Lets setImmediate callbacks and the promise chains after them run. */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

const DAY = '2026-01-21';

describe(StorageService.name, () => {
  let sink: RecordingSink;
  let service: StorageService;

  beforeEach(() => {
    sink = new RecordingSink();
    service = new StorageService(sink);
  });

  it('coalesces the calls of one turn into one write, lines in call order', async () => {
    // Arrange
    const calls = Array.from({ length: 100 }, (_, i) => [`{"i":${i}}`, `{"i":${i}.5}`]);

    // Act
    const results = calls.map((lines) => service.store(DAY, lines));
    await turn();
    sink.succeed();
    await Promise.all(results);

    // Assert
    expect(sink.writes).toEqual([{ day: DAY, lines: calls.flat() }]);
    expect(service.writes).toBe(1);
    expect(service.entriesStored).toBe(200);
  });

  it('groups the calls made during an in-flight write into the next write', async () => {
    // Arrange
    const first = service.store(DAY, ['a']);
    await turn();

    // Act
    const second = service.store(DAY, ['b']);
    const third = service.store(DAY, ['c']);
    await turn();

    // Assert: nothing new is written while the first write is in flight
    expect(sink.writes).toHaveLength(1);
    sink.succeed();
    await first;
    expect(sink.writes).toEqual([
      { day: DAY, lines: ['a'] },
      { day: DAY, lines: ['b', 'c'] },
    ]);
    sink.succeed();
    await Promise.all([second, third]);
    expect(sink.maxInFlight).toBe(1);
  });

  it('settles the calls in call order, across groups', async () => {
    // Arrange
    const order: number[] = [];
    const track = (n: number, p: Promise<void>) => p.then(() => order.push(n));

    // Act
    const a = track(1, service.store(DAY, ['a']));
    const b = track(2, service.store(DAY, []));
    await turn();
    const c = track(3, service.store(DAY, ['c']));
    const d = track(4, service.store(DAY, []));
    sink.succeed();
    await turn();
    sink.succeed();
    await Promise.all([a, b, c, d]);

    // Assert
    expect(order).toEqual([1, 2, 3, 4]);
  });

  it('settles an empty call without writing anything', async () => {
    // Act
    await service.store(DAY, []);

    // Assert
    expect(sink.writes).toEqual([]);
  });

  it('settles an empty call only after the in-flight write before it', async () => {
    // Arrange
    let settled = false;
    const first = service.store(DAY, ['a']);
    await turn();

    // Act
    const empty = service.store(DAY, []).then(() => (settled = true));
    await turn();

    // Assert
    expect(settled).toBe(false);
    sink.succeed();
    await Promise.all([first, empty]);
    expect(settled).toBe(true);
    expect(sink.writes).toHaveLength(1);
  });

  it('rejects exactly the callers of a failed write, then writes the next group', async () => {
    // Arrange
    const boom = new Error('disk full');
    const failed = [service.store(DAY, ['a']), service.store(DAY, ['b'])];
    await turn();
    const next = service.store(DAY, ['c']);

    // Act
    sink.fail(boom);
    const outcomes = await Promise.allSettled(failed);
    sink.succeed();

    // Assert
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    const reasons = outcomes.map(
      (o) => (o as PromiseRejectedResult).reason as StorageUnavailableError,
    );
    expect(reasons[0]).toBe(reasons[1]); // one error per failed write, not per caller
    expect(reasons[0]).toBeInstanceOf(StorageUnavailableError);
    expect(reasons[0].status).toBe(503);
    expect(reasons[0].cause).toBe(boom);
    await expect(next).resolves.toBeUndefined();
    expect(sink.writes.map((w) => w.lines)).toEqual([['a', 'b'], ['c']]);
    expect(service.writes).toBe(1);
    expect(service.entriesStored).toBe(1);
  });

  it('writes once per day when one turn spans two days', async () => {
    // Act
    const results = [
      service.store('2026-01-21', ['a']),
      service.store('2026-01-21', ['b']),
      service.store('2026-01-22', ['c']),
    ];
    await turn();
    sink.succeed();
    await turn();
    sink.succeed();
    await Promise.all(results);

    // Assert
    expect(sink.writes).toEqual([
      { day: '2026-01-21', lines: ['a', 'b'] },
      { day: '2026-01-22', lines: ['c'] },
    ]);
  });

  it('flush() waits for every pending call, failed ones included', async () => {
    // Arrange
    let flushed = false;
    const first = service.store(DAY, ['a']).catch((err: unknown) => err);
    await turn();
    const second = service.store(DAY, ['b']);

    // Act
    const flush = service.flush().then(() => (flushed = true));
    sink.fail(new Error('down'));
    await first;
    await turn();

    // Assert
    expect(flushed).toBe(false);
    sink.succeed();
    await Promise.all([second, flush]);
    expect(flushed).toBe(true);
  });

  it('flush() resolves at once when nothing is pending', async () => {
    await expect(service.flush()).resolves.toBeUndefined();
  });

  it('gives each group its writer id and an increasing seq, the same writer throughout', async () => {
    // Act
    const first = service.store(DAY, ['a']);
    await turn();
    const second = service.store(DAY, ['b']);
    sink.succeed();
    await first;
    await turn();
    sink.succeed();
    await second;

    // Assert
    const [a, b] = sink.groups;
    expect(a.writer).toMatch(/^[A-Za-z0-9_-]{8}$/);
    expect(b.writer).toBe(a.writer);
    expect(b.seq).toBeGreaterThan(a.seq);
    expect(new StorageService(sink)['writer']).not.toBe(a.writer);
  });

  it('close() flushes, closes the sink and refuses later calls', async () => {
    // Arrange
    const pending = service.store(DAY, ['a']);
    await turn();

    // Act
    const closed = service.onApplicationShutdown();
    sink.succeed();
    await Promise.all([pending, closed]);

    // Assert
    expect(sink.closed).toBe(true);
    await expect(service.store(DAY, ['b'])).rejects.toThrow(/closed/);
  });
});
