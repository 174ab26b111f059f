import type { EntryLabels } from './entry-labels.util.js';
import type { TailBus, TailBusListener } from './tail-bus.interface.js';

/** Without Redis (SPEC §6): the tail sees this instance's entries only, handed over directly. */
export class InProcessTailBus implements TailBus {
  private listener: TailBusListener | undefined;
  private interested = false;
  readonly local = true;

  publish(lines: readonly string[], labels?: readonly EntryLabels[]): void {
    if (this.interested) this.listener?.entries(lines, labels);
  }

  listen(listener: TailBusListener): void {
    this.listener = listener;
  }

  setInterested(interested: boolean): Promise<void> {
    this.interested = interested;
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
