import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { EnvDto } from '../config/env.dto.js';
import { REDIS_CLIENT } from '../redis/redis.constants.js';
import { createLogReader } from './create-log-reader.js';
import type { LogReader } from './log-reader.interface.js';
import { LogsQueryController } from './logs-query.controller.js';
import { LOG_READER } from './query.constants.js';

/** GET /logs, answered by the LogReader of the configured storage. */
@Module({
  imports: [AuthModule],
  controllers: [LogsQueryController],
  providers: [{ provide: LOG_READER, inject: [EnvDto, REDIS_CLIENT], useFactory: createLogReader }],
})
export class QueryModule implements OnApplicationShutdown {
  constructor(@Inject(LOG_READER) private readonly reader: LogReader) {}

  async onApplicationShutdown(): Promise<void> {
    await this.reader.close?.();
  }
}
