import type { EncodedReply } from './wire.js';

/** Slot states besides an encoded reply. */
const PENDING = 0;
const NO_REPLY = 1;
type Slot = EncodedReply | typeof PENDING | typeof NO_REPLY;

/** Consecutive frames of one connection, by the sequence numbers their slots got. */
export interface FrameSpan {
  readonly first: number;
  readonly count: number;
}

/** Where a ReplyQueue's replies go once they are next in line. */
export interface ReplyTarget {
  sendReply(reply: EncodedReply): void;
  /** Called after every flush, when replies have left and slots have been freed. */
  afterFlush(): void;
}

/**
 * The replies of one connection, kept in frame order whatever order they are ready in (the stock
 * WsAdapter sends replies as handlers finish, so an error can overtake an earlier ack). Every
 * frame reserves a slot when it arrives; its reply fills the slot; replies leave from the head
 * while the head is filled.
 */
export class ReplyQueue {
  private readonly slots: Slot[] = [];
  /** Sequence number of slots[0]. */
  private head = 0;

  constructor(private readonly target: ReplyTarget) {}

  /** Frames whose reply has not left yet. */
  get length(): number {
    return this.slots.length;
  }

  /** Reserves the next slot; the returned sequence number identifies it to `settle`. */
  reserve(): number {
    this.slots.push(PENDING);
    return this.head + this.slots.length - 1;
  }

  /**
   * Fills slot `seq` with a reply: an encoded frame, an object (sent as JSON), or nothing. The
   * first value wins: the exception filter answers before the handler's promise settles.
   */
  settle(seq: number, reply: unknown): void {
    const i = seq - this.head;
    if (i < 0 || i >= this.slots.length || this.slots[i] !== PENDING) return;
    this.slots[i] = encode(reply);
    if (i === 0) this.flush();
  }

  /**
   * Fills the slots of a span: `replies` is either one reply per frame (an array, aligned with
   * the span) or one reply for every frame of it (an error that failed them all).
   */
  settleSpan(span: FrameSpan, replies: unknown): void {
    const each = Array.isArray(replies);
    for (let i = 0; i < span.count; i++) {
      this.settle(span.first + i, each ? (replies as unknown[])[i] : replies);
    }
  }

  private flush(): void {
    const slots = this.slots;
    let n = 0;
    while (n < slots.length && slots[n] !== PENDING) {
      const reply = slots[n++];
      if (reply !== NO_REPLY) this.target.sendReply(reply as EncodedReply);
    }
    slots.splice(0, n);
    this.head += n;
    this.target.afterFlush();
  }
}

function encode(reply: unknown): Slot {
  if (typeof reply === 'string' || Buffer.isBuffer(reply)) return reply;
  return reply == null ? NO_REPLY : JSON.stringify(reply);
}
