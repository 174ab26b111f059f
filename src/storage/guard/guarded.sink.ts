import { Logger } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { countEntries, type EntryGroup } from '../sinks/entry-group.js';
import type { LogSink } from '../sinks/log-sink.interface.js';
import type { Spool, SpoolBatch } from '../spool/spool.js';
import type { SinkMetrics } from '../storage-metrics.js';
import { circuitValue, type SinkPolicy } from './sink-policy.js';

/**
 * Entries one replay write carries at most (several spooled groups in one sink.write). A failed
 * replay halves it, down to REPLAY_MIN_ENTRIES (or one group), a successful one doubles it back,
 * so a slow backend gets batches it can store within the timeout.
 */
const REPLAY_MAX_ENTRIES = 5000;
const REPLAY_MIN_ENTRIES = 250;
/** Pause before a replay retries after a failure or while the circuit is open. */
const RETRY_PAUSE_MS = 100;
/** A sink's own readiness check longer than this counts as down (a hung server never answers). */
const CHECK_TIMEOUT_MS = 1000;

/**
 * A remote sink behind its circuit breaker and its durable spool (SPEC §5). A group goes
 * directly to the sink only while the spool is empty and no replay runs; when that write fails
 * or times out, or any time after, groups are appended to the spool and acked from there. A
 * replay loop then writes the spool to the sink, oldest first, through the same breaker (so the
 * half-open probe is the oldest spooled group), deletes what it stored, and once the spool is
 * empty new groups flow directly again. Per connection order holds because groups reach the
 * sink in commit order either way. Exactly once rests on the inner sink skipping ids it holds.
 */
export class GuardedSink implements LogSink {
  readonly kind: string;
  private replaying: Promise<void> | undefined;
  private closed = false;
  /** Set by a failed direct write, cleared once the spool is replayed: logs once per outage. */
  private down = false;
  private replayEntries = REPLAY_MAX_ENTRIES;
  private readonly stop = new AbortController();
  private readonly logger: Logger;

  constructor(
    private readonly inner: LogSink,
    private readonly spool: Spool,
    private readonly guard: SinkPolicy,
    private readonly metrics: SinkMetrics,
  ) {
    this.kind = inner.kind;
    this.logger = new Logger(`GuardedSink:${inner.kind}`);
    guard.breaker.onStateChange((state) => (metrics.circuit = circuitValue(state)));
    metrics.spoolBytes = spool.bytes;
    // A spool left by a crash (or a shutdown during an outage) is replayed before anything new.
    if (!spool.empty) this.startReplay();
  }

  /** True while groups go to the spool rather than to the sink. */
  get spooling(): boolean {
    return this.replaying !== undefined || !this.spool.empty;
  }

  async write(groups: readonly EntryGroup[]): Promise<void> {
    const entries = countEntries(groups);
    if (!this.spooling) {
      const started = performance.now();
      try {
        await this.guard.policy.execute(() => this.inner.write(groups));
        this.metrics.stored += entries;
        this.metrics.observe((performance.now() - started) / 1000);
        return;
      } catch (error) {
        // Once per outage: while the breaker stays open every group lands here again.
        if (!this.down) {
          this.logger.warn(
            `${this.kind} write failed, spooling until it recovers: ${reason(error)}`,
          );
        }
        this.down = true;
      }
    }
    try {
      await this.spool.append(groups);
      this.metrics.spooled += entries;
    } finally {
      this.metrics.spoolBytes = this.spool.bytes;
      this.startReplay();
    }
  }

  /** Ready while the sink answers, or while the spool can take what it cannot. */
  async check(): Promise<void> {
    if (!this.spooling) {
      try {
        await withTimeout(this.inner.check(), CHECK_TIMEOUT_MS);
        return;
      } catch (error) {
        this.spool.check();
        this.logger.debug(`${this.kind} is down, the spool takes its entries: ${reason(error)}`);
        return;
      }
    }
    this.spool.check();
  }

  /**
   * Stops replaying (the rest stays spooled for the next boot), then closes spool and sink. A
   * sink whose server hangs may not close within the shutdown budget: it is left behind then.
   */
  async close(): Promise<void> {
    this.closed = true;
    this.stop.abort();
    await this.replaying;
    await this.spool.close();
    await withTimeout(this.inner.close(), CHECK_TIMEOUT_MS).catch((error: unknown) =>
      this.logger.warn(`${this.kind} did not close cleanly: ${reason(error)}`),
    );
  }

  private startReplay(): void {
    if (this.replaying || this.closed) return;
    this.replaying = this.replay().catch((error: unknown) => {
      this.logger.error({ err: error }, `${this.kind} replay stopped`);
      this.replaying = undefined;
    });
  }

  /**
   * Runs until the spool is empty (or close). Its first step awaits, so `replaying` is set before
   * the loop can clear it; it clears it synchronously with the emptiness check, so a write never
   * sees "not replaying" while the spool holds a group.
   */
  private async replay(): Promise<void> {
    let replayed = 0;
    for (;;) {
      await this.spool.settled();
      const batch = await this.nextBatch();
      if (this.closed) break;
      if (!batch) {
        if (!this.spool.empty) continue;
        this.replaying = undefined;
        this.down = false;
        if (replayed > 0) this.logger.log(`${this.kind}: spool replayed (${replayed} entries)`);
        return;
      }
      const started = performance.now();
      try {
        // close() aborts a replay write at once: it has no ack waiting, the spool keeps its groups.
        await this.guard.replayPolicy.execute(
          () => this.inner.write(batch.groups),
          this.stop.signal,
        );
        await this.spool.commit(batch);
      } catch (error) {
        this.logger.debug(`${this.kind} replay write failed: ${reason(error)}`);
        this.replayEntries = Math.max(REPLAY_MIN_ENTRIES, this.replayEntries >> 1);
        await this.pause();
        continue;
      }
      this.replayEntries = Math.min(REPLAY_MAX_ENTRIES, this.replayEntries * 2);
      this.metrics.observe((performance.now() - started) / 1000);
      this.metrics.stored += batch.entries;
      this.metrics.replayed += batch.entries;
      this.metrics.spoolBytes = this.spool.bytes;
      replayed += batch.entries;
    }
    this.replaying = undefined;
  }

  private async nextBatch(): Promise<SpoolBatch | undefined> {
    try {
      return await this.spool.next(this.replayEntries);
    } catch (error) {
      this.logger.error({ err: error }, `${this.kind} spool unreadable, retrying`);
      await this.pause();
      return this.closed ? undefined : this.nextBatch();
    }
  }

  private async pause(): Promise<void> {
    await sleep(RETRY_PAUSE_MS, undefined, { signal: this.stop.signal }).catch(() => undefined);
  }
}

function withTimeout(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
