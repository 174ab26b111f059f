import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { WORKER_CHANNEL } from '../cluster/cluster.constants.js';
import type { WorkerChannel } from '../cluster/worker.channel.js';
import { EnvDto } from '../config/env.dto.js';
import { REDIS_CONNECTOR, type RedisConnector } from '../redis/redis.constants.js';
import { StorageModule } from '../storage/storage.module.js';
import { StorageService } from '../storage/storage.service.js';
import { ClusterStatsStore } from './cluster.stats-store.js';
import { InProcessStatsStore } from './in-process.stats-store.js';
import { RedisStatsStore } from './redis.stats-store.js';
import type { StatsStore } from './stats-store.interface.js';
import { StatsController } from './stats.controller.js';
import { STATS_STORE } from './stats.constants.js';
import { StatsRecorder } from './stats.recorder.js';

/**
 * GET /stats: counts of stored entries, in Redis when REDIS_URL is set (shared by every
 * instance, over the store's own connection), in process otherwise.
 */
@Module({
  imports: [AuthModule, StorageModule],
  controllers: [StatsController],
  providers: [
    {
      provide: STATS_STORE,
      inject: [EnvDto, REDIS_CONNECTOR, { token: WORKER_CHANNEL, optional: true }],
      useFactory: (
        env: EnvDto,
        connect: RedisConnector | null,
        channel?: WorkerChannel | null,
      ): StatsStore => {
        if (!connect) return channel ? new ClusterStatsStore(channel) : new InProcessStatsStore();
        const redis = connect('stats');
        redis.connect().catch(() => undefined); // logged by the client; it reconnects by itself
        return new RedisStatsStore(redis, env.REDIS_STREAM_KEY);
      },
    },
    {
      provide: StatsRecorder,
      inject: [STATS_STORE],
      useFactory: (store: StatsStore) => new StatsRecorder(store),
    },
  ],
  exports: [StatsRecorder],
})
export class StatsModule implements OnApplicationShutdown {
  constructor(
    private readonly storage: StorageService,
    @Inject(STATS_STORE) private readonly store: StatsStore,
  ) {}

  /** After storage has stored (and so counted) its last groups: write the last counts. */
  async onApplicationShutdown(): Promise<void> {
    await this.storage.close().catch(() => undefined); // its failure is StorageService's to report
    await this.store.close();
  }
}
