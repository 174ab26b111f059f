import { Connector } from './connector.js';
import { Delivery } from './delivery.js';
import { EntryBuffer } from './entry-buffer.js';
import { EventHub, type Listener, type LoggerEventName } from './event-hub.js';
import { FlushWaiters } from './flush-waiters.js';
import type { EntryFields, EntryInput, FieldError, LogEntry, LogLevel } from './log-entry.js';
import { resolveOptions, type LoggerOptions, type ResolvedOptions } from './logger-options.js';
import type { LoggerStats } from './logger-stats.js';
import { Outbox, type Batch } from './outbox.js';
import type { Rejection } from './server-frame.util.js';
import type { SocketEnd, SocketFactory } from './socket.js';

const CLOSE_SERVICE_RESTART = 1012;
const CLOSE_SESSION_REVOKED = 4401;
const BUFFERED: Promise<void> = Promise.resolve();

type Counter = Exclude<keyof LoggerStats, 'buffered'>;

/**
 * A producer of logger-service (SPEC §9): entries are buffered, batched, sent, resent after
 * reconnects, and settled by the server's acks. Create it with `createLogger`.
 */
export class Logger {
  private readonly options: ResolvedOptions;
  private readonly hub = new EventHub();
  private readonly counts: Record<Counter, number> = {
    sent: 0,
    acked: 0,
    rejected: 0,
    dropped: 0,
    resent: 0,
  };
  private readonly outbox = new Outbox();
  private readonly buffer: EntryBuffer;
  private readonly delivery: Delivery;
  private readonly connector: Connector;
  private readonly flushes = new FlushWaiters();
  private state: 'open' | 'closing' | 'closed' | 'failed' = 'open';
  private failure: Error | undefined;
  private closing: Promise<void> | undefined;
  private ordinal = 0;
  private url = '';
  private lingerTimer: ReturnType<typeof setTimeout> | undefined;
  private pauseTimer: ReturnType<typeof setTimeout> | undefined;

  /** @internal use `createLogger` */
  constructor(options: LoggerOptions, socketFactory: SocketFactory) {
    const o = (this.options = resolveOptions(options));
    this.buffer = new EntryBuffer(o.maxBuffered, o.onFull, () => this.outbox.entryCount);
    this.delivery = new Delivery(
      this.outbox,
      this.buffer,
      o.batchSize,
      o.producerId !== undefined,
      {
        sent: (batch, resend) => this.onSent(batch, resend),
        stored: (batch, rejected) => this.onStored(batch, rejected),
        refused: (batch, errors) =>
          this.onStored(
            batch,
            batch.items.map((_, index) => ({ index, errors })),
          ),
        ready: () => this.hub.emit('connected', { url: this.url }),
        pause: (ms) => this.pause(ms ?? this.connector.backoffMs()),
        reconnect: (reason) => this.connector.drop(reason),
      },
    );
    this.connector = new Connector(o, socketFactory, {
      onOpen: (socket, url) => {
        this.url = url;
        this.delivery.attach(socket);
      },
      onMessage: (text) => this.delivery.onMessage(text),
      onLost: (end) => this.onLost(end),
      onAttemptFailed: (error) => this.hub.emit('error', error),
      onGiveUp: (error) => this.fail(error),
    });
    this.connector.reconnect(true);
  }

  /** Logs at level info; resolves once the entry is buffered. */
  info(module: string, action: string, fields?: EntryFields): Promise<void> {
    return this.leveled('info', module, action, fields);
  }

  warning(module: string, action: string, fields?: EntryFields): Promise<void> {
    return this.leveled('warning', module, action, fields);
  }

  error(module: string, action: string, fields?: EntryFields): Promise<void> {
    return this.leveled('error', module, action, fields);
  }

  /** Logs a whole entry; `project` and `system` default to the logger's. */
  log(entry: EntryInput): Promise<void> {
    return this.enqueue({ project: this.options.project, system: this.options.system, ...entry });
  }

  /**
   * Resolves once every entry handed over so far is settled (stored, rejected or dropped);
   * rejects with the reason when that can no longer happen (closed, session revoked, retries
   * exhausted).
   */
  flush(): Promise<void> {
    if (this.state === 'failed') return Promise.reject(this.failure!);
    if (this.state === 'closed') return Promise.reject(new Error('the logger is closed'));
    const below = this.ordinal;
    if (this.firstUnsettled() >= below) return Promise.resolve();
    const settled = this.flushes.wait(below);
    this.delivery.releasePartial();
    return settled;
  }

  /** Stops taking entries, flushes, and closes the connection; rejects as `flush` does. */
  close(): Promise<void> {
    if (this.closing) return this.closing;
    if (this.state === 'open') this.state = 'closing';
    const flushed = this.flush();
    this.closing = flushed.finally(() => this.shutDown());
    return this.closing;
  }

  stats(): LoggerStats {
    return { ...this.counts, buffered: this.buffer.length + this.outbox.entryCount };
  }

  on<K extends LoggerEventName>(name: K, listener: Listener<K>): this {
    this.hub.on(name, listener);
    return this;
  }

  off<K extends LoggerEventName>(name: K, listener: Listener<K>): this {
    this.hub.off(name, listener);
    return this;
  }

  private leveled(level: LogLevel, module: string, action: string, fields?: EntryFields) {
    return this.log({ ...fields, level, module, action });
  }

  private enqueue(entry: LogEntry): Promise<void> {
    if (this.state !== 'open') {
      return Promise.reject(this.failure ?? new Error('the logger is closed'));
    }
    const item = { ordinal: this.ordinal++, entry };
    const outcome = this.buffer.push(item);
    if (outcome === 'full') {
      return new Promise((resolve, reject) => this.buffer.block(item, resolve, reject));
    }
    if (outcome !== 'queued') this.onDropped();
    this.afterPush();
    return BUFFERED;
  }

  private afterPush(): void {
    if (this.buffer.length >= this.options.batchSize) return this.delivery.pump();
    if (this.lingerTimer !== undefined || this.buffer.length === 0) return;
    this.lingerTimer = setTimeout(() => {
      this.lingerTimer = undefined;
      this.delivery.releasePartial();
    }, this.options.lingerMs);
  }

  private onSent(batch: Batch, resend: boolean): void {
    this.counts.sent += batch.items.length;
    if (resend) this.counts.resent += batch.items.length;
  }

  private onStored(batch: Batch, rejected: readonly Rejection[]): void {
    let refused = 0;
    for (const { index, errors } of rejected) {
      const item = batch.items[index];
      if (!item) continue;
      refused++;
      this.hub.emit('rejected', { entry: item.entry, errors: errors as FieldError[] });
    }
    this.counts.rejected += refused;
    this.counts.acked += batch.items.length - refused;
    this.afterSettle();
  }

  private onDropped(): void {
    this.counts.dropped++;
    this.hub.emit('dropped', { count: 1 });
    this.flushes.check(this.firstUnsettled());
  }

  private afterSettle(): void {
    this.buffer.admit();
    this.flushes.check(this.firstUnsettled());
    this.afterPush();
  }

  private onLost(end: SocketEnd): void {
    this.delivery.detach(end);
    this.hub.emit('disconnected', { code: end.code, reason: end.reason });
    if (end.code === CLOSE_SESSION_REVOKED) {
      return this.fail(new Error(`the service revoked the session (close 4401): ${end.reason}`));
    }
    this.connector.reconnect(end.code === CLOSE_SERVICE_RESTART);
  }

  private pause(ms: number): void {
    clearTimeout(this.pauseTimer);
    this.pauseTimer = setTimeout(() => this.delivery.resume(), ms);
  }

  private firstUnsettled(): number {
    return Math.min(this.outbox.firstOrdinal, this.buffer.firstOrdinal);
  }

  private fail(error: Error): void {
    if (this.state === 'failed' || this.state === 'closed') return;
    this.state = 'failed';
    this.failure = error;
    this.stopTimers();
    this.connector.stop(1000, 'client gave up');
    this.buffer.failBlocked(error);
    this.flushes.failAll(error);
    this.hub.emit('error', error);
  }

  private shutDown(): void {
    if (this.state !== 'failed') this.state = 'closed';
    this.stopTimers();
    this.connector.stop(1000, 'client closed');
  }

  private stopTimers(): void {
    clearTimeout(this.lingerTimer);
    clearTimeout(this.pauseTimer);
  }
}
