import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { EnvDto } from '../config/env.dto.js';
import { REDIS_CLIENT, REDIS_CONNECTOR, type RedisConnector } from './redis.constants.js';

/**
 * The shared Redis connection (sessions, health; later tail and stats). Absent REDIS_URL it
 * provides null and every feature falls back to its in-process form. Boot does not wait for Redis:
 * a service whose Redis is down starts, reports not ready, and recovers when Redis returns.
 * ioredis is imported only when REDIS_URL is set: evaluating it costs a start ~10 ms (issue 13).
 */
@Global()
@Module({
  providers: [
    {
      provide: REDIS_CONNECTOR,
      inject: [EnvDto],
      useFactory: async (env: EnvDto): Promise<RedisConnector | null> => {
        const url = env.REDIS_URL;
        if (!url) return null;
        const { createRedisClient } = await import('./create-redis-client.js');
        return (name) => createRedisClient(url, name);
      },
    },
    {
      provide: REDIS_CLIENT,
      inject: [REDIS_CONNECTOR],
      useFactory: (connect: RedisConnector | null): Redis | null => {
        if (!connect) return null;
        const client = connect('main');
        client.connect().catch((error: Error) => {
          new Logger(RedisModule.name).warn(`Redis not reachable at boot: ${error.message}`);
        });
        return client;
      },
    },
  ],
  exports: [REDIS_CLIENT, REDIS_CONNECTOR],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS_CLIENT) private readonly redis: Redis | null) {}

  async onApplicationShutdown(): Promise<void> {
    if (!this.redis) return;
    await this.redis.quit().catch(() => this.redis?.disconnect());
  }
}
