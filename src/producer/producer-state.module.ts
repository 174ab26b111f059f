import { Module } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { EnvDto } from '../config/env.dto.js';
import { REDIS_CLIENT } from '../redis/redis.constants.js';
import { WORKER_CHANNEL } from '../cluster/cluster.constants.js';
import type { WorkerChannel } from '../cluster/worker.channel.js';
import { FileProducerStateStore } from './file-producer-state.store.js';
import { IpcProducerStateStore } from './ipc-producer-state.store.js';
import { PRODUCER_STATE_STORE, type ProducerStateStore } from './producer-state.store.js';
import { RedisProducerStateStore } from './redis-producer-state.store.js';

/**
 * The producer state store (SPEC §8): in Redis when REDIS_URL is set, else in LOG_DIR (kept by
 * the primary for all its workers under WORKERS > 1: IpcProducerStateStore). Its own
 * module because StorageModule needs it too: the `file` sink notes producer batches in the
 * LOG_DIR store before appending them (ProducerLedger).
 */
@Module({
  providers: [
    {
      provide: PRODUCER_STATE_STORE,
      // Optional: a module (or a spec) that stores without RedisModule keeps its state in LOG_DIR.
      inject: [
        EnvDto,
        { token: REDIS_CLIENT, optional: true },
        { token: WORKER_CHANNEL, optional: true },
      ],
      useFactory: (
        env: EnvDto,
        redis: Redis | null | undefined,
        channel: WorkerChannel | null | undefined,
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
  ],
  exports: [PRODUCER_STATE_STORE],
})
export class ProducerStateModule {}
