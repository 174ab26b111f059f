import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { Redis } from 'ioredis';
import { REDIS_CLIENT } from '../../redis/redis.constants.js';

const TIMEOUT_MS = 1000;

/** Redis answers PING (only when REDIS_URL is set): sessions, tail and stats depend on it. */
@Injectable()
export class RedisHealthIndicator {
  constructor(
    private readonly indicator: HealthIndicatorService,
    @Inject(REDIS_CLIENT) private readonly redis: Redis | null,
  ) {}

  get configured(): boolean {
    return this.redis !== null;
  }

  check() {
    return this.indicator
      .check('redis')
      .attempt(async () => {
        await this.redis?.ping();
      })
      .withTimeout(TIMEOUT_MS);
  }
}
