import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@logger-service/client';

/**
 * Hands entries to an SDK logger as fast as it takes them, until stopped, remembering each one's
 * correlationId (`${prefix}-${i}`) so that a spec can tally what was stored of them.
 */
export class SteadyProducer {
  readonly handed: string[] = [];
  private stopped = false;
  private readonly done: Promise<void>;

  constructor(
    readonly logger: Logger,
    prefix: string,
  ) {
    this.done = (async () => {
      for (let i = 0; !this.stopped; i++) {
        const correlationId = `${prefix}-${i}`;
        this.handed.push(correlationId);
        await logger.info('Producer', 'tick', { correlationId });
        // A steady stream, not a flood: the buffer must not be what the test measures.
        if (i % 25 === 24) await sleep(5);
      }
    })();
  }

  /** Resolves once `n` entries have been handed over. */
  async reach(n: number): Promise<void> {
    while (this.handed.length < n) await sleep(10);
  }

  /** Stops handing over, then closes the logger (resolves once everything is acked). */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.done;
    await this.logger.close();
  }
}
