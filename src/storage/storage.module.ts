import { Module } from '@nestjs/common';
import { EnvDto } from '../config/env.dto.js';
import { SINK_METRICS_SOURCE } from '../metrics/metrics.constants.js';
import { FileProducerStateStore } from '../producer/file-producer-state.store.js';
import { ProducerStateModule } from '../producer/producer-state.module.js';
import { PRODUCER_STATE_STORE, type ProducerStateStore } from '../producer/producer-state.store.js';
import { StoreDurationRecorder } from '../metrics/store-duration.recorder.js';
import { sinkMetricsSource } from './sink-metrics.source.js';
import { createConfiguredLogSink } from './sinks/create-log-sink.js';
import { LOG_SINK } from './storage.constants.js';
import { StorageMetrics } from './storage-metrics.js';
import { StorageService } from './storage.service.js';

/**
 * The configured LogSink (one kind, or a fan-out of several, remote ones behind breaker and
 * spool) behind its group commit; EnvDto comes from the global config module. StorageMetrics
 * holds the per-sink counters for a metrics exporter.
 */
@Module({
  imports: [ProducerStateModule],
  providers: [
    StorageMetrics,
    {
      provide: LOG_SINK,
      // Producer state in LOG_DIR is also where the `file` sink notes producer batches; not under
      // WORKERS > 1 (IpcProducerStateStore): each worker's offsets in a shared day file are only
      // guesses, so there a seq is recorded after its append, as with Redis (README).
      useFactory: (env: EnvDto, metrics: StorageMetrics, producers: ProducerStateStore) =>
        createConfiguredLogSink(
          env,
          metrics,
          producers instanceof FileProducerStateStore ? producers : undefined,
        ),
      inject: [EnvDto, StorageMetrics, PRODUCER_STATE_STORE],
    },
    StorageService,
    {
      provide: SINK_METRICS_SOURCE,
      useFactory: sinkMetricsSource,
      inject: [StorageMetrics, { token: StoreDurationRecorder, optional: true }],
    },
  ],
  exports: [LOG_SINK, StorageService, StorageMetrics, SINK_METRICS_SOURCE],
})
export class StorageModule {}
