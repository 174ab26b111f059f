import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { StorageModule } from '../storage/storage.module.js';
import { HealthController } from './health.controller.js';
import { LifecycleHealthIndicator } from './indicators/lifecycle.health.js';
import { RedisHealthIndicator } from './indicators/redis.health.js';
import { SpoolDiskHealthIndicator } from './indicators/spool-disk.health.js';
import { StorageHealthIndicator } from './indicators/storage.health.js';

@Module({
  imports: [TerminusModule, StorageModule],
  controllers: [HealthController],
  providers: [
    LifecycleHealthIndicator,
    StorageHealthIndicator,
    SpoolDiskHealthIndicator,
    RedisHealthIndicator,
  ],
})
export class HealthModule {}
