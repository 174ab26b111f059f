import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { EnvDto } from '../config/env.dto.js';
import { createLogReader } from './create-log-reader.js';
import { LogsQueryController } from './logs-query.controller.js';
import { LOG_READER } from './query.constants.js';

/** GET /logs, answered by the LogReader of the configured storage. */
@Module({
  imports: [AuthModule],
  controllers: [LogsQueryController],
  providers: [{ provide: LOG_READER, inject: [EnvDto], useFactory: createLogReader }],
})
export class QueryModule {}
