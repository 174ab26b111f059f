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
  private subscribing: Promise<void> | undefined;
  readonly local = false;

  constructor(private readonly channel: WorkerChannel) {
    channel.on('interest', (m) => (this.anyInterested = m.any));
    channel.on('interest.sync', (m) => channel.send({ ls: 1, t: 'interest.synced', id: m.id }));
    channel.on('tail', (m) => this.listener?.entries(m.lines));
  }

  publish(lines: readonly string[]): void {
    if (this.anyInterested) this.channel.send({ ls: 1, t: 'tail', lines: lines as string[] });
  }

  listen(listener: TailBusListener): void {
    this.listener = listener;
  }

  /** Resolves once every worker publishes to the primary (see PrimaryHub's `tail.interest`). */
  setInterested(interested: boolean): Promise<void> {
    if (interested === this.interested) return this.subscribing ?? Promise.resolve();
    this.interested = interested;
    const change = this.channel.request('tail.interest', { on: interested }).then(
      () => undefined,
      // Never rejects (TailBus): a primary that does not answer is shutting down.
      () => undefined,
    );
    this.subscribing = interested ? change : undefined;
    return change;
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
