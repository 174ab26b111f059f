import type { EntryGroup } from './entry-group.js';
import { FanOutSink } from './fan-out.sink.js';
import type { LogSink } from './log-sink.interface.js';

/** A sink whose writes stay pending until the test settles them. */
class PendingSink implements LogSink {
  readonly written: EntryGroup[][] = [];
  private readonly settles: ((error?: Error) => void)[] = [];
  closed = false;
  checkError: Error | undefined;

  constructor(readonly kind: string) {}

  write(groups: readonly EntryGroup[]): Promise<void> {
    this.written.push([...groups]);
    return new Promise((resolve, reject) =>
      this.settles.push((error) => (error ? reject(error) : resolve())),
    );
  }

  async check(): Promise<void> {
    if (this.checkError) throw this.checkError;
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  settle(error?: Error): void {
    this.settles.shift()!(error);
  }
}

const groups: EntryGroup[] = [{ writer: 'w', seq: 1, day: '2026-01-21', lines: ['{}'] }];
const flush = () => new Promise((resolve) => setImmediate(resolve));

describe(FanOutSink.name, () => {
  let a: PendingSink;
  let b: PendingSink;
  let sink: FanOutSink;

  beforeEach(() => {
    a = new PendingSink('file');
    b = new PendingSink('redis');
    sink = new FanOutSink([a, b]);
  });

  it('is named after its sinks', () => {
    expect(sink.kind).toBe('file,redis');
  });

  it('writes the same groups to every sink at once and resolves only when all have', async () => {
    // Arrange
    let done = false;

    // Act
    const write = sink.write(groups).then(() => (done = true));
    a.settle();
    await flush();
    const doneAfterOne = done;
    b.settle();
    await write;

    // Assert
    expect(a.written).toEqual([groups]);
    expect(b.written).toEqual([groups]);
    expect(doneAfterOne).toBe(false);
    expect(done).toBe(true);
  });

  it('fails when one sink fails, but only after every sink has settled', async () => {
    // Arrange
    const boom = new Error('spool full');
    let settled = false;

    // Act
    const write = sink.write(groups).finally(() => (settled = true));
    b.settle(boom);
    await flush();
    const settledBeforeA = settled;
    a.settle();
    const outcome = await write.catch((e: unknown) => e);

    // Assert
    expect(settledBeforeA).toBe(false);
    expect(outcome).toBe(boom);
  });

  it('is ready only when every sink is, and closes them all', async () => {
    // Arrange
    b.checkError = new Error('down');

    // Act
    const check = await sink.check().catch((e: unknown) => e);
    await sink.close();

    // Assert
    expect(check).toBe(b.checkError);
    expect([a.closed, b.closed]).toEqual([true, true]);
  });
});
