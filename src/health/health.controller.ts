import { Controller, Get, UseFilters } from '@nestjs/common';
import { HealthCheckService, type HealthIndicatorFunction } from '@nestjs/terminus';
import { HealthExceptionFilter } from './health-exception.filter.js';
import { HealthProbe } from './health-probe.decorator.js';
import { LifecycleHealthIndicator } from './indicators/lifecycle.health.js';
import { RedisHealthIndicator } from './indicators/redis.health.js';
import { SpoolDiskHealthIndicator } from './indicators/spool-disk.health.js';
import { StorageHealthIndicator } from './indicators/storage.health.js';

/** Kubernetes probes (SPEC §4): liveness never depends on a backend, readiness does. */
@Controller('health')
@UseFilters(HealthExceptionFilter)
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly lifecycle: LifecycleHealthIndicator,
    private readonly storage: StorageHealthIndicator,
    private readonly spool: SpoolDiskHealthIndicator,
    private readonly redis: RedisHealthIndicator,
  ) {}

  @Get('live')
  @HealthProbe()
  live() {
    return this.health.check([]);
  }

  @Get('ready')
  @HealthProbe()
  ready() {
    const checks: HealthIndicatorFunction[] = [
      () => this.lifecycle.check(),
      () => this.storage.check(),
      () => this.spool.check(),
    ];
    if (this.redis.configured) checks.push(() => this.redis.check());
    return this.health.check(checks);
  }
}
