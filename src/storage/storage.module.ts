import { Module } from '@nestjs/common';
import { EnvDto } from '../config/env.dto.js';
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
  ],
  exports: [LOG_SINK, StorageService, StorageMetrics],
})
export class StorageModule {}
