import { Inject, Injectable } from '@nestjs/common';
import { Histogram, type Registry } from 'prom-client';
import { METRICS_REGISTRY } from './metrics.constants.js';

/** Seconds: a file write takes well under a millisecond, a remote sink under stress seconds. */
const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/**
 * logger_store_duration_seconds{sink} (SPEC §4). The storage layer calls `observe` once per sink
 * write (a group of entries), never per entry. Global, so StorageModule can inject it without
 * importing MetricsModule.
 */
@Injectable()
export class StoreDurationRecorder {
  private readonly histogram: Histogram<'sink'>;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    this.histogram = new Histogram({
      name: 'logger_store_duration_seconds',
      help: 'Duration of one write of a group of entries to a sink',
      labelNames: ['sink'],
      buckets: BUCKETS,
      registers: [registry],
    });
  }

  /** Registers the sink's series at zero, so dashboards see it before its first write. */
  declare(sink: string): void {
    this.histogram.zero({ sink });
  }

  observe(sink: string, seconds: number): void {
    this.histogram.observe({ sink }, seconds);
  }
}
