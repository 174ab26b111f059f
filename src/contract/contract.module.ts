import { Module } from '@nestjs/common';
import { LogBatchPipe } from './log-batch.pipe.js';
import { LogEntryPipe } from './log-entry.pipe.js';

/**
 * The LogEntry contract's pipes, for gateways and controllers (`@MessageBody(LogEntryPipe)`).
 * LogBatchPipe injects EnvDto, which the app's config module provides globally.
 */
@Module({
  providers: [LogEntryPipe, LogBatchPipe],
  exports: [LogEntryPipe, LogBatchPipe],
})
export class ContractModule {}
