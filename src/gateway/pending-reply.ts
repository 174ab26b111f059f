import type { EncodedReply, ReplyWithEffect } from './wire.js';

/**
 * A reply to send once `stored` resolves: what the gateway's handlers return instead of awaiting
 * storage. Nest's handler pipeline holds a frame's arguments (the parsed entries) until the
 * handler settles; returning at once lets them die young while only the serialized lines wait
 * for the write. Awaiting instead doubled the time spent in GC under load.
 */
export class PendingReply {
  constructor(
    readonly stored: Promise<unknown>,
    /** One reply, or one per frame of a run of frames (see ReplyQueue.settleSpan). */
    readonly reply: EncodedReply | ReplyWithEffect | readonly EncodedReply[],
  ) {}
}
