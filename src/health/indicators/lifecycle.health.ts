import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { LifecycleState } from '../../lifecycle/lifecycle.state.js';

/** Down from the first moment of shutdown, so the load balancer stops sending traffic at once. */
@Injectable()
export class LifecycleHealthIndicator {
  constructor(
    private readonly indicator: HealthIndicatorService,
    private readonly lifecycle: LifecycleState,
  ) {}

  check() {
    const session = this.indicator.check('lifecycle');
    return this.lifecycle.draining ? session.down({ message: 'shutting down' }) : session.up();
  }
}
