import { ReplyWithEffect, type EncodedReply } from './wire.js';

/** The state of a slot whose reply is not ready yet. */
const PENDING = 0;
type Slot = EncodedReply | ReplyWithEffect | typeof PENDING;

/**
 * The replies of one flush, handed to the target together. One array for every queue: a flush
 * empties it before anything it calls could flush another queue.
 */
const outgoing: EncodedReply[] = [];

/** Consecutive frames of one connection, by the sequence numbers their slots got. */
export interface FrameSpan {
  readonly first: number;
  readonly count: number;
}

/** Where a ReplyQueue's replies go once they are next in line. */
export interface ReplyTarget {
  /** Sends replies in order, in one write; `replies` is reused once this returns. */
  sendReplies(replies: readonly EncodedReply[]): void;
  /** Called after every flush, when replies have left and slots have been freed. */
  afterFlush(): void;
  /** The queue can no longer answer in order (a defect): end the connection. */
  abandon(): void;
}

/**
 * The replies of one connection, kept in frame order whatever order they are ready in (the stock
 * WsAdapter sends replies as handlers finish, so an error can overtake an earlier ack). Every
 * frame reserves a slot when it arrives; its reply fills the slot; replies leave from the head
 * while the head is filled. Each slot is filled once, so each frame gets exactly one reply.
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

  /** Whether slot `seq` is reserved and still waits for its reply. */
  isPending(seq: number): boolean {
    return this.slots[seq - this.head] === PENDING;
  }

  /**
   * Fills slot `seq` with a reply: an encoded frame, or an object sent as JSON. The first value
   * wins: the exception filter answers before the handler's promise settles.
   */
  settle(seq: number, reply: EncodedReply | ReplyWithEffect | object): void {
    const i = seq - this.head;
    if (i < 0 || i >= this.slots.length || this.slots[i] !== PENDING) return;
    this.slots[i] = encode(reply);
    if (i === 0) this.flush();
  }

  /**
   * Fills the slots of a span: `replies` is either one reply per frame (an array, aligned with
   * the span) or one reply for every frame of it (an error that failed them all).
   */
  settleSpan(
    span: FrameSpan,
    replies: EncodedReply | ReplyWithEffect | object | readonly EncodedReply[],
  ): void {
    if (Array.isArray(replies)) {
      for (let i = 0; i < span.count; i++) this.settle(span.first + i, replies[i] as EncodedReply);
    } else {
      for (let i = 0; i < span.count; i++) this.settle(span.first + i, replies);
    }
  }

  /** Drops every slot and ends the connection: only for a defect of the queue itself. */
  abandon(): void {
    this.head += this.slots.length;
    this.slots.length = 0;
    this.target.abandon();
  }

  private flush(): void {
    const slots = this.slots;
    let n = 0;
    while (n < slots.length && slots[n] !== PENDING) {
      const slot = slots[n++];
      if (slot instanceof ReplyWithEffect) {
        outgoing.push(slot.reply);
        this.send();
        slot.onSent();
      } else {
        outgoing.push(slot as EncodedReply);
      }
    }
    if (outgoing.length > 0) this.send();
    slots.splice(0, n);
    this.head += n;
    this.target.afterFlush();
  }

  private send(): void {
    try {
      this.target.sendReplies(outgoing);
    } finally {
      outgoing.length = 0;
    }
  }
}

function encode(reply: EncodedReply | ReplyWithEffect | object): Exclude<Slot, typeof PENDING> {
  if (typeof reply === 'string' || Buffer.isBuffer(reply) || reply instanceof ReplyWithEffect) {
    return reply;
  }
  return JSON.stringify(reply);
}
