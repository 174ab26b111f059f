import { Injectable } from '@nestjs/common';

/**
 * Process-wide run state. `draining` flips once, at SIGTERM/SIGINT: from then on readiness is 503
 * and new WebSocket upgrades are refused while what was received is stored and acked (SPEC §7).
 */
@Injectable()
export class LifecycleState {
  private drainingSince: number | null = null;

  get draining(): boolean {
    return this.drainingSince !== null;
  }

  beginDrain(): void {
    this.drainingSince ??= Date.now();
  }
}
