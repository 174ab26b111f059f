import { Module } from '@nestjs/common';
import { EnvDto } from '../config/env.dto.js';
import { createConfiguredLogSink } from './sinks/create-log-sink.js';
import { LOG_SINK } from './storage.constants.js';
import { StorageService } from './storage.service.js';

/** The configured LogSink behind its group commit; EnvDto comes from the global config module. */
@Module({
  providers: [
    {
      provide: LOG_SINK,
      useFactory: (env: EnvDto) => createConfiguredLogSink(env),
      inject: [EnvDto],
    },
    StorageService,
  ],
  exports: [LOG_SINK, StorageService],
})
export class StorageModule {}
