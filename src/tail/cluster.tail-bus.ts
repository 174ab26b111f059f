import type { WorkerChannel } from '../cluster/worker.channel.js';
import type { TailBus, TailBusListener } from './tail-bus.interface.js';

/**
 * Without Redis under WORKERS > 1: a worker hands its stored groups to the primary, which relays
 * each to every worker that has subscribers, its sender included, once. The primary tells every
 * worker whether any has subscribers, so nothing crosses the channel while nobody tails.
 * One IPC channel per worker keeps a publisher's groups in its store order.
 */
export class ClusterTailBus implements TailBus {
  private listener: TailBusListener | undefined;
  private anyInterested = false;
  private interested = false;

  constructor(private readonly channel: WorkerChannel) {
    channel.on('interest', (m) => (this.anyInterested = m.any));
    channel.on('tail', (m) => this.listener?.entries(m.lines));
  }

  publish(lines: readonly string[]): void {
    if (this.anyInterested) this.channel.send({ ls: 1, t: 'tail', lines: lines as string[] });
  }

  listen(listener: TailBusListener): void {
    this.listener = listener;
  }

  setInterested(interested: boolean): void {
    if (interested === this.interested) return;
    this.interested = interested;
    this.channel.send({ ls: 1, t: 'interest', on: interested });
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
