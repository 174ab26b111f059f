import type { EntryBuffer } from './entry-buffer.js';
import type { FieldError } from './log-entry.js';
import type { Batch, Outbox } from './outbox.js';
import { parseServerFrame, type Rejection, type ServerFrame } from './server-frame.util.js';
import type { ClientSocket, SocketEnd } from './socket.js';

/** What Delivery reports to the logger, which keeps the counters and the events. */
export interface DeliveryHooks {
  /** Written to a socket; `resend` when it had been written before. */
  sent(batch: Batch, resend: boolean): void;
  /** The server stored the batch but for `rejected` (a duplicate ack: all of it, earlier). */
  stored(batch: Batch, rejected: readonly Rejection[]): void;
  /** The server refused the whole batch for good (400, 403, an entry over WS_MAX_PAYLOAD). */
  refused(batch: Batch, errors: FieldError[]): void;
  /** The producer connection is ready (after `hello` on a producer stream). */
  ready(): void;
  /** Sending must wait `ms` (429's retryAfterMs, or a backoff after a 503). */
  pause(ms: number | undefined): void;
  /**
   * The connection can store nothing more (a producer stream's 503: SPEC §8 breaks the stream on
   * that connection): close it; reconnecting (with backoff) resends from `hello`.
   */
  reconnect(reason: string): void;
}

/** A frame written on the current connection, waiting for its reply (replies come in order). */
interface InFlight {
  batch: Batch;
  epoch: number;
  bytes: number;
}

const CLOSE_TOO_LARGE = 1009;

/**
 * The hot path of the client: cuts batches from the buffer, writes them, and matches each reply
 * to its frame. Invariant: `inflight` lists this connection's unanswered frames in write order,
 * the order the server answers them (SPEC §3). A refusal that makes the server skip frames (409,
 * 429, 503) starts a new epoch: every unsettled batch is written again, in order, and replies to
 * frames of an older epoch may still settle a batch but never requeue one again.
 */
export class Delivery {
  private socket: ClientSocket | undefined;
  private ready = false;
  private paused = false;
  private partialDue = false;
  private epoch = 0;
  private inflight: InFlight[] = [];

  constructor(
    private readonly outbox: Outbox,
    private readonly buffer: EntryBuffer,
    private readonly batchSize: number,
    private readonly producer: boolean,
    private readonly hooks: DeliveryHooks,
  ) {}

  attach(socket: ClientSocket): void {
    this.socket = socket;
    this.inflight = [];
    // A pause belonged to the old connection (a 503 before its 1012, say): the new one starts fresh.
    this.paused = false;
    this.outbox.requeueAll();
    if (!this.producer) this.becomeReady();
  }

  /** The connection ended: nothing in flight will be answered; 1009 names a frame too large. */
  detach(end: SocketEnd): void {
    if (end.code === CLOSE_TOO_LARGE) this.shrinkLargest();
    this.socket = undefined;
    this.ready = false;
    this.inflight = [];
    this.outbox.requeueAll();
  }

  /** Sending may go on (a pause ended). */
  resume(): void {
    this.paused = false;
    this.pump();
  }

  /** A partial batch may leave now (the linger time passed, or a flush asked for it). */
  releasePartial(): void {
    this.partialDue = true;
    this.pump();
  }

  onMessage(text: string): void {
    const frame = parseServerFrame(text);
    if (frame.kind === 'hello') return this.onHello(frame.lastSeq);
    if (frame.kind !== 'ack' && frame.kind !== 'error') return;
    const head = this.inflight.shift();
    if (!head) return;
    if (frame.kind === 'ack') return this.onAck(head, frame);
    this.onError(head, frame);
  }

  /** Writes what waits, in order: batches to resend first, then new ones cut from the buffer. */
  pump(): void {
    if (!this.socket || !this.ready || this.paused) return;
    for (const batch of this.outbox.unwritten()) this.write(batch);
    while (this.buffer.length >= this.batchSize || (this.partialDue && this.buffer.length > 0)) {
      this.write(this.outbox.add(this.buffer.take(this.batchSize)));
    }
    if (this.buffer.length === 0) this.partialDue = false;
  }

  private onHello(lastSeq: number): void {
    if (!this.producer || this.ready) return;
    for (const batch of this.outbox.resync(lastSeq, false)) this.hooks.stored(batch, []);
    this.becomeReady();
  }

  private becomeReady(): void {
    this.ready = true;
    this.hooks.ready();
    this.pump();
  }

  private onAck(head: InFlight, ack: Extract<ServerFrame, { kind: 'ack' }>): void {
    if (!this.outbox.settle(head.batch)) return;
    this.hooks.stored(head.batch, ack.duplicate ? [] : ack.rejected);
  }

  private onError(head: InFlight, error: Extract<ServerFrame, { kind: 'error' }>): void {
    const { status } = error;
    if (status === 409 || status === 429 || status >= 500) {
      if (head.epoch !== this.epoch || !this.outbox.has(head.batch)) return;
      this.epoch++;
      if (status === 409 && error.expected !== undefined && this.producer) {
        for (const batch of this.outbox.resync(error.expected - 1, true)) {
          this.hooks.stored(batch, []);
        }
      } else {
        this.outbox.requeueAll();
      }
      if (status === 409) return this.pump();
      if (this.producer && status >= 500) {
        this.ready = false;
        return this.hooks.reconnect(error.message);
      }
      this.paused = true;
      return this.hooks.pause(status === 429 ? error.retryAfterMs : undefined);
    }
    // 401 comes before the 4401 close of a revoked session: the batch was not stored, and the
    // close ends the logger. Any other status is a refusal of the frame itself.
    if (status === 401 || !this.outbox.settle(head.batch)) return;
    const errors = error.errors.length > 0 ? error.errors : [{ field: '', message: error.message }];
    this.hooks.refused(head.batch, errors);
  }

  private write(batch: Batch): void {
    const text = JSON.stringify({
      event: 'batch',
      data: { seq: batch.seq, entries: batch.items.map((i) => i.entry) },
    });
    const resend = batch.sends > 0;
    batch.sends++;
    batch.written = true;
    this.inflight.push({ batch, epoch: this.epoch, bytes: text.length });
    this.socket!.send(text);
    this.hooks.sent(batch, resend);
  }

  /** After a 1009 the largest unanswered frame is the likely culprit: halve it, or refuse it. */
  private shrinkLargest(): void {
    const largest = this.inflight.reduce<InFlight | undefined>(
      (max, f) => (max && max.bytes >= f.bytes ? max : f),
      undefined,
    );
    if (!largest || !this.outbox.has(largest.batch)) return;
    if (largest.batch.items.length > 1) return this.outbox.split(largest.batch);
    this.outbox.settle(largest.batch);
    this.hooks.refused(largest.batch, [
      { field: '', message: 'entry larger than the service accepts (closed with 1009)' },
    ]);
  }
}
