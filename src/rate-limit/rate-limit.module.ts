import { Global, Module } from '@nestjs/common';
import { RATE_LIMIT_METRICS_SOURCE } from '../metrics/metrics.constants.js';
import type { RateLimitMetricsSource } from '../metrics/metrics-sources.interface.js';
import { RateLimiter } from './rate-limiter.service.js';

/** One RateLimiter per instance, shared by every transport (SPEC §3: per key, not per socket). */
@Global()
@Module({
  providers: [
    RateLimiter,
    {
      provide: RATE_LIMIT_METRICS_SOURCE,
      inject: [RateLimiter],
      useFactory: (limiter: RateLimiter): RateLimitMetricsSource => ({
        limited: () => limiter.limited,
      }),
    },
  ],
  exports: [RateLimiter, RATE_LIMIT_METRICS_SOURCE],
})
export class RateLimitModule {}
