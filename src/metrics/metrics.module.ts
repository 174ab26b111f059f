import { Module } from '@nestjs/common';
import { GatewayModule } from '../gateway/gateway.module.js';
import { StorageModule } from '../storage/storage.module.js';
import { TailModule } from '../tail/tail.module.js';
import { MetricsController } from './metrics.controller.js';
import { MetricsService } from './metrics.service.js';

/** GET /metrics; reads the counters of MetricsCoreModule, the gateway's connections and storage. */
@Module({
  imports: [GatewayModule, StorageModule, TailModule],
  controllers: [MetricsController],
  providers: [MetricsService],
  exports: [MetricsService],
})
export class MetricsModule {}
