import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { IngestModule } from '../ingest/ingest.module.js';
import { CheckBodyPipe } from './check-body.pipe.js';
import { LogsController } from './logs.controller.js';
import { ReadBodyPipe } from './read-body.pipe.js';
import { RejectionLogger } from './rejection.logger.js';

/** POST /logs: the HTTP transport of the one ingest path (IngestService). */
@Module({
  imports: [AuthModule, IngestModule],
  controllers: [LogsController],
  providers: [ReadBodyPipe, CheckBodyPipe, RejectionLogger],
})
export class HttpIngestModule {}
