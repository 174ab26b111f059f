import type { EntryGroup } from './entry-group.js';
import type { LogSink } from './log-sink.interface.js';

/**
 * `STORAGE=a,b,…`: every write goes to each sink at once and settles when all have (each one
 * stored or, behind its breaker, spooled). One failure fails the write, so no entry is acked
 * that one of the configured stores does not hold; the others may hold it, and a client that
 * resends after the 503 adds it there a second time (under new ids).
 */
export class FanOutSink implements LogSink {
  readonly kind: string;

  constructor(readonly sinks: readonly LogSink[]) {
    this.kind = sinks.map((s) => s.kind).join(',');
  }

  async write(groups: readonly EntryGroup[]): Promise<void> {
    const results = await Promise.allSettled(this.sinks.map((sink) => sink.write(groups)));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  async check(): Promise<void> {
    await Promise.all(this.sinks.map((sink) => sink.check()));
  }

  async close(): Promise<void> {
    await Promise.all(this.sinks.map((sink) => sink.close()));
  }
}
