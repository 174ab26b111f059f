import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { EnvDto } from '../config/env.dto.js';

const DRAIN_POLL_MS = 10;
/**
 * How long no request may have started before shutdown lets the server close: requests the load
 * balancer still routed here after the signal are read and answered rather than cut off.
 */
const QUIET_MS = 200;

/**
 * HTTP requests in flight: the `http` value of logger_connections, and what shutdown waits for
 * (SPEC §7: every request already read is answered) before Nest closes the server: none in
 * flight and none started for QUIET_MS, or half of SHUTDOWN_TIMEOUT_MS, whichever comes first.
 */
@Injectable()
export class HttpTraffic implements BeforeApplicationShutdown {
  private readonly logger = new Logger(HttpTraffic.name);
  private count = 0;
  private lastStart = 0;

  constructor(private readonly env: EnvDto) {}

  get inFlight(): number {
    return this.count;
  }

  started(): void {
    this.count++;
    this.lastStart = Date.now();
  }

  ended(): void {
    this.count--;
  }

  async beforeApplicationShutdown(): Promise<void> {
    const until = Date.now() + this.env.SHUTDOWN_TIMEOUT_MS / 2;
    const quietMs = Math.min(QUIET_MS, this.env.SHUTDOWN_TIMEOUT_MS / 10);
    while (Date.now() < until && (this.count > 0 || Date.now() - this.lastStart < quietMs)) {
      await sleep(DRAIN_POLL_MS);
    }
    if (this.count > 0) this.logger.error(`shutdown: ${this.count} HTTP requests still unanswered`);
  }
}
