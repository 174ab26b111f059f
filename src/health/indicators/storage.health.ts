import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { LogSink } from '../../storage/sinks/log-sink.interface.js';
import { LOG_SINK } from '../../storage/storage.constants.js';

const TIMEOUT_MS = 2000;

/** The configured storage accepts writes (for `file`: LOG_DIR exists and is writable). */
@Injectable()
export class StorageHealthIndicator {
  constructor(
    private readonly indicator: HealthIndicatorService,
    @Inject(LOG_SINK) private readonly sink: LogSink,
  ) {}

  check() {
    return this.indicator
      .check('storage')
      .attempt(async () => {
        await this.sink.check();
        return { kind: this.sink.kind };
      })
      .withTimeout(TIMEOUT_MS);
  }
}
