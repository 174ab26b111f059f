import { Module } from '@nestjs/common';
import { AppConfigModule } from './config/app-config.module.js';
import { GatewayModule } from './gateway/gateway.module.js';
import { HealthModule } from './health/health.module.js';
import { LifecycleModule } from './lifecycle/lifecycle.module.js';
import { LoggingModule } from './logging/logging.module.js';
import { RateLimitModule } from './rate-limit/rate-limit.module.js';
import { RedisModule } from './redis/redis.module.js';

@Module({
  imports: [
    AppConfigModule,
    LifecycleModule,
    LoggingModule,
    RedisModule,
    RateLimitModule,
    GatewayModule,
    HealthModule,
  ],
})
export class AppModule {}
