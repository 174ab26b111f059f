import { Global, Module } from '@nestjs/common';
import { WORKER_CHANNEL } from '../cluster/cluster.constants.js';
import type { WorkerChannel } from '../cluster/worker.channel.js';
import { EnvDto } from '../config/env.dto.js';
import { RATE_LIMIT_METRICS_SOURCE } from '../metrics/metrics.constants.js';
import type { RateLimitMetricsSource } from '../metrics/metrics-sources.interface.js';
import { ClusterRateLimitSync } from './cluster-rate-limit.sync.js';
import { RateLimiter } from './rate-limiter.service.js';

/** One RateLimiter per instance, shared by every transport (SPEC §3: per key, not per socket). */
@Global()
@Module({
  providers: [
    {
      provide: RateLimiter,
      inject: [EnvDto, { token: WORKER_CHANNEL, optional: true }],
      useFactory: (env: EnvDto, channel?: WorkerChannel | null) => {
        const limiter = new RateLimiter(env);
        // Under WORKERS > 1 the buckets are the instance's, kept by the primary.
        if (channel && limiter.enabled) new ClusterRateLimitSync(limiter, channel);
        return limiter;
      },
    },
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
