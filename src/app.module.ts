import { Module } from '@nestjs/common';
import { ClusterWorkerModule } from './cluster/cluster-worker.module.js';
import { AppConfigModule } from './config/app-config.module.js';
import { ConsoleModule } from './console/console.module.js';
import { GatewayModule } from './gateway/gateway.module.js';
import { HealthModule } from './health/health.module.js';
import { HttpModule } from './http/http.module.js';
import { HttpIngestModule } from './http-ingest/http-ingest.module.js';
import { LifecycleModule } from './lifecycle/lifecycle.module.js';
import { LoggingModule } from './logging/logging.module.js';
import { RateLimitModule } from './rate-limit/rate-limit.module.js';
import { MetricsCoreModule } from './metrics/metrics-core.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { QueryModule } from './query/query.module.js';
import { RedisModule } from './redis/redis.module.js';
import { StatsModule } from './stats/stats.module.js';

@Module({
  imports: [
    AppConfigModule,
    ClusterWorkerModule,
    LifecycleModule,
    LoggingModule,
    RedisModule,
    RateLimitModule,
    MetricsCoreModule,
    HttpModule,
    GatewayModule,
    HttpIngestModule,
    QueryModule,
    StatsModule,
    HealthModule,
    MetricsModule,
    ConsoleModule,
  ],
})
export class AppModule {}
