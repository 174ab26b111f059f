import { Module } from '@nestjs/common';
import { LogBatchPipe } from './log-batch.pipe.js';
import { LogRunPipe } from './log-run.pipe.js';

/**
 * The LogEntry contract's pipes, for gateways and controllers (`@MessageBody(LogRunPipe)`).
 * LogBatchPipe injects EnvDto, which the app's config module provides globally.
 */
@Module({
  providers: [LogRunPipe, LogBatchPipe],
  exports: [LogRunPipe, LogBatchPipe],
})
export class ContractModule {}
