import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { LifecycleHealthIndicator } from './indicators/lifecycle.health.js';
import { SpoolDiskHealthIndicator } from './indicators/spool-disk.health.js';
import { StorageHealthIndicator } from './indicators/storage.health.js';

/** Kubernetes probes (SPEC §4): liveness never depends on a backend, readiness does. */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly lifecycle: LifecycleHealthIndicator,
    private readonly storage: StorageHealthIndicator,
    private readonly spool: SpoolDiskHealthIndicator,
  ) {}

  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([
      () => this.lifecycle.check(),
      () => this.storage.check(),
      () => this.spool.check(),
    ]);
  }
}
