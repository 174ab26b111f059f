import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { EnvDto } from '../config/env.dto.js';

const DRAIN_POLL_MS = 10;

/**
 * HTTP requests in flight: the `http` value of logger_connections, and what shutdown waits for
 * (SPEC §7: every request already read is answered) before Nest closes the server.
 */
@Injectable()
export class HttpTraffic implements BeforeApplicationShutdown {
  private readonly logger = new Logger(HttpTraffic.name);
  private count = 0;

  constructor(private readonly env: EnvDto) {}

  get inFlight(): number {
    return this.count;
  }

  started(): void {
    this.count++;
  }

  ended(): void {
    this.count--;
  }

  async beforeApplicationShutdown(): Promise<void> {
    const until = Date.now() + this.env.SHUTDOWN_TIMEOUT_MS / 2;
    while (this.count > 0 && Date.now() < until) await sleep(DRAIN_POLL_MS);
    if (this.count > 0) this.logger.error(`shutdown: ${this.count} HTTP requests still unanswered`);
  }
}
