import { Module } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { WORKER_CHANNEL } from '../cluster/cluster.constants.js';
import type { WorkerChannel } from '../cluster/worker.channel.js';
import { EnvDto } from '../config/env.dto.js';
import { REDIS_CLIENT } from '../redis/redis.constants.js';
import { FileProducerStateStore } from './file-producer-state.store.js';
import { IpcProducerStateStore } from './ipc-producer-state.store.js';
import { PRODUCER_STATE_STORE, type ProducerStateStore } from './producer-state.store.js';
import { ProducerStreams } from './producer-streams.service.js';
import { RedisProducerStateStore } from './redis-producer-state.store.js';

/**
 * Producer streams (SPEC §8): their state in Redis when REDIS_URL is set, else in LOG_DIR (kept
 * by the primary for all its workers under WORKERS > 1).
 */
@Module({
  providers: [
    {
      provide: PRODUCER_STATE_STORE,
      inject: [EnvDto, REDIS_CLIENT, { token: WORKER_CHANNEL, optional: true }],
      useFactory: (
        env: EnvDto,
        redis: Redis | null,
        channel?: WorkerChannel | null,
      ): ProducerStateStore =>
        redis
          ? new RedisProducerStateStore(
              redis,
              `${env.REDIS_STREAM_KEY}:producer:`,
              env.PRODUCER_TTL_S,
            )
          : channel
            ? new IpcProducerStateStore(channel)
            : new FileProducerStateStore(env.LOG_DIR, env.PRODUCER_TTL_S * 1000, env.FSYNC),
    },
    ProducerStreams,
  ],
  exports: [ProducerStreams],
})
export class ProducerModule {}
