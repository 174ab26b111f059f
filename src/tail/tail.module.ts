import { Module } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { WORKER_CHANNEL } from '../cluster/cluster.constants.js';
import type { WorkerChannel } from '../cluster/worker.channel.js';
import { EnvDto } from '../config/env.dto.js';
import { TAIL_METRICS_SOURCE } from '../metrics/metrics.constants.js';
import type { TailMetricsSource } from '../metrics/metrics-sources.interface.js';
import { REDIS_CLIENT, REDIS_CONNECTOR, type RedisConnector } from '../redis/redis.constants.js';
import { ClusterTailBus } from './cluster.tail-bus.js';
import { InProcessTailBus } from './in-process.tail-bus.js';
import { RedisTailBus } from './redis.tail-bus.js';
import type { TailBus } from './tail-bus.interface.js';
import { TailFilterPipe } from './tail-filter.pipe.js';
import { TAIL_BUS } from './tail.constants.js';
import { TailService } from './tail.service.js';

/** The pub/sub channel of a deployment: named after its stream, so deployments sharing a Redis stay apart. */
export function tailChannel(env: EnvDto): string {
  return `${env.REDIS_STREAM_KEY}:tail`;
}

/**
 * Live tail (SPEC §3): across instances through Redis pub/sub when REDIS_URL is set, else
 * in-process (across the workers of one instance through the primary).
 */
@Module({
  providers: [
    {
      provide: TAIL_BUS,
      inject: [EnvDto, REDIS_CLIENT, REDIS_CONNECTOR, { token: WORKER_CHANNEL, optional: true }],
      useFactory: (
        env: EnvDto,
        redis: Redis | null,
        connect: RedisConnector | null,
        channel?: WorkerChannel | null,
      ): TailBus =>
        redis && connect
          ? new RedisTailBus(redis, connect('tail'), tailChannel(env))
          : channel
            ? new ClusterTailBus(channel)
            : new InProcessTailBus(),
    },
    TailService,
    TailFilterPipe,
    {
      provide: TAIL_METRICS_SOURCE,
      inject: [TailService],
      useFactory: (tail: TailService): TailMetricsSource => ({
        subscribers: () => tail.subscriberCount,
        dropped: () => tail.dropped,
      }),
    },
  ],
  exports: [TailService, TailFilterPipe, TAIL_METRICS_SOURCE],
})
export class TailModule {}
