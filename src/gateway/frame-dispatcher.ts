import type { MessageMappingProperties } from '@nestjs/websockets';
import { quoteClientText } from '../common/client-text.util.js';
import { PendingReply } from './pending-reply.js';
import type { FrameSpan, ReplyQueue } from './reply-queue.js';
import { errorFrame, errorFrameOf, INTERNAL_ERROR } from './wire.js';

const NOT_AN_OBJECT = errorFrame(400, 'a frame must be a JSON object {"event": ..., "data": ...}');
/** The event whose consecutive frames reach the gateway as one run (LogsGateway.log). */
const RUN_EVENT = 'log';

interface Run {
  readonly handler: MessageMappingProperties;
  readonly first: number;
  readonly payloads: unknown[];
}

/**
 * Routes one connection's parsed frames to the gateway's Nest handlers (guards, pipes, filters and
 * all) and puts each handler's outcome into the frames' reply slots. A defect anywhere on a
 * frame's way is contained to that frame: it is answered 500 and reported once to `onDefect`.
 */
export class FrameDispatcher {
  private handlers: readonly MessageMappingProperties[] = [];
  private eventNames = '';
  /** `log` frames of this read waiting to go to the gateway together (see joinRun). */
  private run: Run | null = null;

  constructor(
    private readonly replies: ReplyQueue,
    private readonly onDefect: (error: unknown) => void,
  ) {}

  listen(handlers: readonly MessageMappingProperties[]): void {
    this.handlers = handlers;
    this.eventNames = handlers.map((h) => String(h.message)).join(', ');
  }

  /** Routes the frame whose reply slot is `seq`. */
  route(seq: number, frame: unknown): void {
    try {
      if (frame === null || typeof frame !== 'object' || Array.isArray(frame)) {
        return this.replies.settle(seq, NOT_AN_OBJECT);
      }
      const { event, data: payload } = frame as { event?: unknown; data?: unknown };
      const handler = typeof event === 'string' ? this.handlerFor(event) : undefined;
      if (!handler) return this.replies.settle(seq, this.unknownEvent(event));
      if (event === RUN_EVENT) return this.joinRun(handler, seq, payload);
      // Earlier `log` frames go to storage first: entries are stored in arrival order.
      this.flushRun();
      this.dispatch(handler, payload, { first: seq, count: 1 });
    } catch (error) {
      this.defect({ first: seq, count: 1 }, error);
    }
  }

  /**
   * Consecutive `log` frames read in one go (one socket read holds many) become one run: the Nest
   * pipeline (guard, pipe, handler), the storage call and the promise chain are paid once per
   * run instead of once per frame. Each frame still gets its own reply, in its own slot.
   * Invariant: a run holds only consecutive slots. A frame in between that was answered at once
   * (malformed, binary, unknown event) ends the run, so a run's replies never land in its slot.
   */
  private joinRun(handler: MessageMappingProperties, seq: number, payload: unknown): void {
    const run = this.run;
    if (run !== null && seq === run.first + run.payloads.length) {
      run.payloads.push(payload);
      return;
    }
    this.flushRun();
    this.run = { handler, first: seq, payloads: [payload] };
    queueMicrotask(this.flushRun);
  }

  private readonly flushRun = (): void => {
    const run = this.run;
    if (run === null) return;
    this.run = null;
    this.dispatch(run.handler, run.payloads, { first: run.first, count: run.payloads.length });
  };

  /**
   * Calls a gateway handler through Nest. The span rides in the argument slot the stock adapter
   * uses for the event name, so that the exception filter can answer in the slots of the frames
   * that failed (see WsExceptionFilter).
   */
  private dispatch(handler: MessageMappingProperties, payload: unknown, span: FrameSpan): void {
    let result: Promise<unknown>;
    try {
      result = handler.callback(payload, span) as Promise<unknown>;
    } catch (error) {
      return this.defect(span, error);
    }
    result.then(
      (value) =>
        value instanceof PendingReply ? this.await(span, value) : this.answer(span, value),
      (error: unknown) => this.fail(span, error),
    );
  }

  private await(span: FrameSpan, pending: PendingReply): void {
    pending.stored.then(
      () => this.answer(span, pending.reply),
      (error: unknown) => this.fail(span, error),
    );
  }

  /**
   * Puts a handler's result into the span's slots: one reply for all, or one per frame. Nothing
   * (the exception filter has answered already) leaves the slots as they are. Never throws: it
   * runs in promise callbacks, where a throw would be an unhandled rejection.
   */
  private answer(span: FrameSpan, replies: unknown): void {
    try {
      if (replies == null || (Array.isArray(replies) && replies.length !== span.count)) {
        if (this.replies.isPending(span.first)) this.defect(span, new NoReplyError(span, replies));
        return;
      }
      this.replies.settleSpan(span, replies);
    } catch (error) {
      this.defect(span, error);
    }
  }

  private fail(span: FrameSpan, error: unknown): void {
    const frame = errorFrameOf(error);
    if (frame === undefined) return this.defect(span, error);
    this.answer(span, frame);
  }

  /** A bug, not the client's doing: reported once, and the span's frames are answered 500. */
  private defect(span: FrameSpan, error: unknown): void {
    this.onDefect(error);
    try {
      this.replies.settleSpan(span, INTERNAL_ERROR);
    } catch (again) {
      // The reply queue itself is broken: the connection can no longer answer in order.
      this.onDefect(again);
      this.replies.abandon();
    }
  }

  private handlerFor(event: string): MessageMappingProperties | undefined {
    for (const handler of this.handlers) if (handler.message === event) return handler;
    return undefined;
  }

  private unknownEvent(event: unknown): string {
    const what =
      typeof event === 'string'
        ? `unknown event ${quoteClientText(event)}`
        : 'event must be a string';
    return errorFrame(400, `${what}; expected one of: ${this.eventNames}`);
  }
}

/** A handler settled without a reply for each of its frames (and no filter answered them). */
class NoReplyError extends Error {
  constructor(span: FrameSpan, replies: unknown) {
    const got = Array.isArray(replies) ? `${replies.length} replies` : String(replies);
    super(`handler returned ${got} for ${span.count} frames`);
  }
}
