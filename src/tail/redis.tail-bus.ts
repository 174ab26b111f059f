import { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { TailBus, TailBusListener } from './tail-bus.interface.js';

/** Separates the lines of one group in a message: JSON text never holds a raw newline. */
const SEPARATOR = '\n';

/**
 * Tail fan-out across instances through Redis pub/sub: one PUBLISH per group on `channel`, and a
 * dedicated subscriber connection that is SUBSCRIBEd only while this instance has subscribers.
 * Pub/sub keeps the order of one publisher's messages and delivers each once per subscriber
 * connection; what is published while Redis is down is not delivered (the tail says so).
 */
export class RedisTailBus implements TailBus {
  private readonly logger = new Logger(RedisTailBus.name);
  private listener: TailBusListener | undefined;
  private interested = false;
  /** Assumed up until the first failure, so that only a recovery is reported as one. */
  private up = true;
  private failedPublishes = 0;
  /** The SUBSCRIBE under way or done while interested: settles once Redis confirmed it. */
  private subscribing: Promise<void> | undefined;
  readonly local = false;

  constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly channel: string,
  ) {
    subscriber.on('message', (from: string, message: string) => {
      if (from === channel && this.interested) this.listener?.entries(message.split(SEPARATOR));
    });
    subscriber.on('ready', () => this.onReady());
    subscriber.on('close', () => this.setUp(false));
    subscriber.connect().catch((error: Error) => {
      this.logger.warn(`tail subscriber not connected yet (${error.message}); ioredis retries`);
    });
  }

  /** Publishes failed so far (Redis down): those groups were stored, only not tailed. */
  get publishFailures(): number {
    return this.failedPublishes;
  }

  publish(lines: readonly string[]): void {
    this.publisher.publish(this.channel, lines.join(SEPARATOR)).catch(() => {
      this.failedPublishes++;
    });
  }

  listen(listener: TailBusListener): void {
    this.listener = listener;
  }

  setInterested(interested: boolean): Promise<void> {
    if (interested === this.interested) return this.subscribing ?? Promise.resolve();
    this.interested = interested;
    this.subscribing = undefined;
    if (this.subscriber.status !== 'ready') return Promise.resolve(); // onReady subscribes
    const change = interested
      ? this.subscriber.subscribe(this.channel)
      : this.subscriber.unsubscribe(this.channel);
    const settled = change.then(
      () => undefined,
      (error: Error) => this.logger.warn(`tail (un)subscribe failed: ${error.message}`),
    );
    if (interested) this.subscribing = settled;
    return settled;
  }

  close(): Promise<void> {
    // A shutdown is not an outage: subscribers are not told the tail is degraded.
    this.listener = undefined;
    this.interested = false;
    this.subscriber.disconnect();
    return Promise.resolve();
  }

  /** ioredis re-subscribes by itself on reconnect; a first connect subscribes here. */
  private onReady(): void {
    if (this.interested) {
      this.subscribing = this.subscriber.subscribe(this.channel).then(
        () => this.setUp(true),
        (error: Error) => this.logger.warn(`tail subscribe failed: ${error.message}`),
      );
    } else {
      this.setUp(true);
    }
  }

  private setUp(up: boolean): void {
    if (up === this.up) return;
    this.up = up;
    this.listener?.available(up);
  }
}
