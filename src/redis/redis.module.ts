import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { EnvDto } from '../config/env.dto.js';
import { createRedisClient } from './create-redis-client.js';
import { REDIS_CLIENT } from './redis.constants.js';

/**
 * The shared Redis connection (sessions, health; later tail and stats). Absent REDIS_URL it
 * provides null and every feature falls back to its in-process form. Boot does not wait for Redis:
 * a service whose Redis is down starts, reports not ready, and recovers when Redis returns.
 */
@Global()
@Module({
  providers: [
    {
      provide: REDIS_CLIENT,
      inject: [EnvDto],
      useFactory: (env: EnvDto): Redis | null => {
        if (!env.REDIS_URL) return null;
        const client = createRedisClient(env.REDIS_URL, 'main');
        client.connect().catch((error: Error) => {
          new Logger(RedisModule.name).warn(`Redis not reachable at boot: ${error.message}`);
        });
        return client;
      },
    },
  ],
  exports: [REDIS_CLIENT],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS_CLIENT) private readonly redis: Redis | null) {}

  async onApplicationShutdown(): Promise<void> {
    if (!this.redis) return;
    await this.redis.quit().catch(() => this.redis?.disconnect());
  }
}
