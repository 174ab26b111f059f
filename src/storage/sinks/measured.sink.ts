import { performance } from 'node:perf_hooks';
import type { SinkMetrics } from '../storage-metrics.js';
import { countEntries, type EntryGroup } from './entry-group.js';
import type { LogSink } from './log-sink.interface.js';

/** Counts stored entries and write durations of a sink that has no breaker (`file`). */
export class MeasuredSink implements LogSink {
  readonly kind: string;

  constructor(
    readonly inner: LogSink,
    private readonly metrics: SinkMetrics,
  ) {
    this.kind = inner.kind;
  }

  async write(groups: readonly EntryGroup[]): Promise<void> {
    const started = performance.now();
    await this.inner.write(groups);
    this.metrics.observe((performance.now() - started) / 1000);
    this.metrics.stored += countEntries(groups);
  }

  check(): Promise<void> {
    return this.inner.check();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
