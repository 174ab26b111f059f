import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EntryGroup } from '../sinks/entry-group.js';
import type { LogSink } from '../sinks/log-sink.interface.js';
import { Spool } from '../spool/spool.js';
import { CircuitStateValue, SinkMetrics } from '../storage-metrics.js';
import { GuardedSink } from './guarded.sink.js';
import { createSinkPolicy } from './sink-policy.js';

type Mode = 'ok' | 'fail' | 'hang' | 'small';

/** In mode `small` a write of more entries than this fails (a slow backend's timeout). */
const SMALL_WRITE = 300;

/** A remote sink double: records what reached it; fails or hangs on demand. */
class FakeRemoteSink implements LogSink {
  readonly kind = 'fake';
  mode: Mode = 'ok';
  calls = 0;
  /** Groups that were written successfully, in arrival order (a group may come twice). */
  readonly stored: EntryGroup[] = [];
  private readonly hung: (() => void)[] = [];
  checkOk = true;

  async write(groups: readonly EntryGroup[]): Promise<void> {
    this.calls++;
    if (this.mode === 'fail') throw new Error('backend down');
    const entries = groups.reduce((n, g) => n + g.lines.length, 0);
    if (this.mode === 'small' && entries > SMALL_WRITE) throw new Error('timed out');
    if (this.mode === 'hang') await new Promise<void>((resolve) => this.hung.push(resolve));
    this.stored.push(...groups);
  }

  async check(): Promise<void> {
    if (!this.checkOk) throw new Error('backend down');
  }

  async close(): Promise<void> {}

  /** Writes hanging right now. */
  get hanging(): number {
    return this.hung.length;
  }

  /** Lets every hung write finish (as a SIGCONT'd server would). */
  release(): void {
    for (const resolve of this.hung.splice(0)) resolve();
  }

  /** Stored seqs, each once (what an idempotent backend keeps). */
  uniqueSeqs(): number[] {
    return [...new Set(this.stored.map((g) => g.seq))];
  }
}

let seq = 0;
const group = (): EntryGroup => ({
  writer: 'w',
  seq: ++seq,
  day: '2026-01-21',
  lines: [`{"n":${seq}}`],
});

/** Polls until `ok()` holds; fails the test with `what` if it never does. */
async function until(ok: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (ok()) return;
    await sleep(10);
  }
  throw new Error(`never happened: ${what}`);
}

describe(GuardedSink.name, () => {
  let root: string;
  let inner: FakeRemoteSink;
  let metrics: SinkMetrics;
  let sink: GuardedSink;

  const build = async (maxBytes = 1 << 20, timeoutMs = 50) => {
    const spool = await Spool.open(join(root, 'fake'), { maxBytes, fsync: 'never' });
    const policy = createSinkPolicy({ timeoutMs, failures: 2, halfOpenMs: 50 });
    return new GuardedSink(inner, spool, policy, metrics);
  };

  beforeEach(async () => {
    root = mkdtempSync(join(tmpdir(), 'guarded-sink-'));
    inner = new FakeRemoteSink();
    metrics = new SinkMetrics('fake');
    sink = await build();
  });

  afterEach(async () => {
    inner.release();
    await sink.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('writes straight to a healthy sink and leaves the spool alone', async () => {
    // Act
    const groups = [group(), group()];
    for (const g of groups) await sink.write([g]);

    // Assert
    expect(inner.stored).toEqual(groups);
    expect(sink.spooling).toBe(false);
    expect(readdirSync(join(root, 'fake'))).toEqual([]);
    expect(metrics).toMatchObject({ stored: 2, spooled: 0, replayed: 0, durationCount: 2 });
  });

  it('acks a failed group from the spool, then replays it and goes direct again', async () => {
    // Arrange
    inner.mode = 'fail';
    const failed = group();

    // Act
    await sink.write([failed]);
    const spoolingAfterFailure = sink.spooling;
    inner.mode = 'ok';
    await until(() => !sink.spooling, 'spool drained');
    const next = group();
    await sink.write([next]);

    // Assert
    expect(spoolingAfterFailure).toBe(true);
    expect(inner.stored).toEqual([failed, next]);
    expect(metrics).toMatchObject({ stored: 2, spooled: 1, replayed: 1 });
  });

  it('opens after consecutive failures, spools without calling the sink, probes with the oldest group', async () => {
    // Arrange
    inner.mode = 'fail';
    const groups = Array.from({ length: 6 }, group);

    // Act: the failed direct write plus the replay's retries open the breaker
    await sink.write([groups[0]]);
    await until(() => metrics.circuit === CircuitStateValue.open, 'breaker open');
    const callsWhenOpen = inner.calls;
    for (const g of groups.slice(1)) await sink.write([g]);
    const callsAfterSpooling = inner.calls;
    inner.mode = 'ok';
    await until(() => !sink.spooling, 'spool drained');

    // Assert
    expect(callsAfterSpooling - callsWhenOpen).toBeLessThanOrEqual(1); // at most one probe
    expect(inner.stored[0]).toEqual(groups[0]); // the probe is the oldest spooled group
    expect(inner.uniqueSeqs()).toEqual(groups.map((g) => g.seq));
    expect(metrics.circuit).toBe(CircuitStateValue.closed);
    expect(metrics).toMatchObject({ stored: 6, spooled: 6, replayed: 6 });
  });

  it('spools a group whose write times out; a late landing and the replay carry the same ids', async () => {
    // Arrange
    inner.mode = 'hang';
    const slow = group();

    // Act
    await sink.write([slow]); // resolves after the 50 ms timeout: spooled
    const later = group();
    await sink.write([later]);
    inner.mode = 'ok';
    inner.release(); // the abandoned write lands after all
    await until(() => !sink.spooling, 'spool drained');

    // Assert: the backend sees `slow` twice under the same writer/seq, which it skips by id
    expect(inner.stored.filter((g) => g.seq === slow.seq).length).toBeGreaterThanOrEqual(1);
    expect(inner.stored.every((g) => g.writer === 'w')).toBe(true);
    expect(inner.uniqueSeqs()).toEqual([slow.seq, later.seq]);
    expect(metrics.spooled).toBe(2);
  });

  it('keeps commit order across direct → spool → direct, whatever fails in between', async () => {
    // Arrange
    const groups = Array.from({ length: 40 }, group);

    // Act
    for (const [i, g] of groups.entries()) {
      inner.mode = i >= 10 && i < 25 ? 'fail' : 'ok';
      await sink.write([g]);
    }
    inner.mode = 'ok';
    await until(() => !sink.spooling, 'spool drained');

    // Assert
    expect(inner.uniqueSeqs()).toEqual(groups.map((g) => g.seq));
  });

  it('replays in smaller batches when large ones fail, until the spool is empty', async () => {
    // Arrange: 30 groups of 100 spooled while down
    inner.mode = 'fail';
    const groups = Array.from({ length: 30 }, () => ({
      ...group(),
      lines: Array.from({ length: 100 }, (_, i) => `{"i":${i}}`),
    }));
    for (const g of groups) await sink.write([g]);

    // Act: the backend is back but refuses writes of more than 300 entries
    inner.mode = 'small';
    await until(() => !sink.spooling, 'spool drained');

    // Assert
    expect(inner.uniqueSeqs()).toEqual(groups.map((g) => g.seq));
    expect(metrics.replayed).toBe(3000);
  });

  it('rejects a group that neither the sink nor a full spool takes, and is not ready', async () => {
    // Arrange
    await sink.close();
    sink = await build(4096);
    inner.mode = 'fail';
    inner.checkOk = false;
    const big = (): EntryGroup => ({ ...group(), lines: ['x'.repeat(3000)] });

    // Act
    await sink.write([big()]);
    const refused = await sink.write([big()]).catch((e: Error) => e);
    const ready = await sink.check().catch((e: Error) => e);

    // Assert
    expect((refused as Error).message).toMatch(/full/);
    expect((ready as Error).message).toMatch(/full/);
    expect(metrics.spooled).toBe(1);
  });

  it('is ready while the sink is down but the spool can take its groups', async () => {
    // Arrange
    inner.checkOk = false;

    // Act / Assert
    await expect(sink.check()).resolves.toBeUndefined();
  });

  it('replays a spool left by an earlier process before any new group', async () => {
    // Arrange: the earlier process spooled two groups and died
    await sink.close();
    const left = [group(), group()];
    const spool = await Spool.open(join(root, 'fake'), { maxBytes: 1 << 20, fsync: 'never' });
    for (const g of left) await spool.append([g]);
    await spool.close();
    inner.mode = 'fail';

    // Act
    sink = await build();
    const fresh = group();
    const spoolingAtBoot = sink.spooling;
    await sink.write([fresh]);
    inner.mode = 'ok';
    await until(() => !sink.spooling, 'spool drained');

    // Assert
    expect(spoolingAtBoot).toBe(true);
    expect(inner.uniqueSeqs()).toEqual([...left, fresh].map((g) => g.seq));
  });

  it('close() does not wait for a replay write that hangs (its timeout is long)', async () => {
    // Arrange: a 60 s write timeout (5 min for replays), a group spooled, the backend then hung
    await sink.close();
    sink = await build(1 << 20, 60_000);
    inner.mode = 'fail';
    await sink.write([group()]);
    inner.mode = 'hang';
    await until(() => inner.hanging > 0, 'a replay write hangs');

    // Act / Assert: well within jest's 5 s test timeout
    await expect(sink.close()).resolves.toBeUndefined();
    expect(readdirSync(join(root, 'fake')).length).toBe(1);
  });

  it('close() stops replaying and keeps what is still spooled on disk', async () => {
    // Arrange
    inner.mode = 'fail';
    await sink.write([group()]);

    // Act
    await sink.close();

    // Assert
    expect(readdirSync(join(root, 'fake')).length).toBe(1);
    const reopened = await Spool.open(join(root, 'fake'), { maxBytes: 1 << 20, fsync: 'never' });
    expect(reopened.empty).toBe(false);
    await reopened.close();
  });
});
