import { Module } from '@nestjs/common';
import { EnvDto } from '../config/env.dto.js';
import { SINK_METRICS_SOURCE } from '../metrics/metrics.constants.js';
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
  providers: [
    StorageMetrics,
    {
      provide: LOG_SINK,
      useFactory: (env: EnvDto, metrics: StorageMetrics) => createConfiguredLogSink(env, metrics),
      inject: [EnvDto, StorageMetrics],
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
