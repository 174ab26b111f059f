import { Global, Module } from '@nestjs/common';
import { Registry } from 'prom-client';
import { IngestCounters } from './ingest.counters.js';
import { METRICS_REGISTRY } from './metrics.constants.js';
import { StoreDurationRecorder } from './store-duration.recorder.js';

/**
 * What the ingest path and the storage layer write to (plain counters, the store-duration
 * histogram), global and free of dependencies so any module may inject it; MetricsModule reads
 * it all at scrape time.
 */
@Global()
@Module({
  providers: [
    { provide: METRICS_REGISTRY, useFactory: () => new Registry() },
    IngestCounters,
    StoreDurationRecorder,
  ],
  exports: [METRICS_REGISTRY, IngestCounters, StoreDurationRecorder],
})
export class MetricsCoreModule {}
