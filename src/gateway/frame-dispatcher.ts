import type { MessageMappingProperties } from '@nestjs/websockets';
import { PendingReply } from './pending-reply.js';
import type { FrameSpan, ReplyQueue } from './reply-queue.js';
import { errorFrame, errorFrameOf } from './wire.js';

const NOT_AN_OBJECT = errorFrame(400, 'a frame must be a JSON object {"event": ..., "data": ...}');
const INTERNAL = errorFrame(500, 'internal error');
/** The event whose consecutive frames reach the gateway as one run (LogsGateway.log). */
const RUN_EVENT = 'log';

interface Run {
  readonly handler: MessageMappingProperties;
  readonly first: number;
  readonly payloads: unknown[];
}

/**
 * Routes one connection's parsed frames to the gateway's Nest handlers (guards, pipes, filters and
 * all) and puts each handler's outcome into the frames' reply slots.
 */
export class FrameDispatcher {
  private handlers: readonly MessageMappingProperties[] = [];
  /** `log` frames of this read waiting to go to the gateway together (see joinRun). */
  private run: Run | null = null;

  constructor(
    private readonly replies: ReplyQueue,
    private readonly onError: (error: unknown) => void,
  ) {}

  listen(handlers: readonly MessageMappingProperties[]): void {
    this.handlers = handlers;
  }

  /** Routes the frame whose reply slot is `seq`. */
  route(seq: number, frame: unknown): void {
    if (frame === null || typeof frame !== 'object' || Array.isArray(frame)) {
      return this.replies.settle(seq, NOT_AN_OBJECT);
    }
    const { event, data: payload } = frame as { event?: unknown; data?: unknown };
    const handler = this.handlerFor(event);
    if (!handler) return this.replies.settle(seq, unknownEvent(event));
    if (event === RUN_EVENT) return this.joinRun(handler, seq, payload);
    // Earlier `log` frames go to storage first: entries are stored in arrival order.
    this.flushRun();
    this.dispatch(handler, payload, { first: seq, count: 1 });
  }

  /**
   * Consecutive `log` frames read in one go (one socket read holds many) become one run: the Nest
   * pipeline (guard, pipe, handler), the storage call and the promise chain are paid once per
   * run instead of once per frame. Each frame still gets its own reply, in its own slot.
   */
  private joinRun(handler: MessageMappingProperties, seq: number, payload: unknown): void {
    if (this.run === null) {
      this.run = { handler, first: seq, payloads: [] };
      queueMicrotask(this.flushRun);
    }
    this.run.payloads.push(payload);
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
    (handler.callback(payload, span) as Promise<unknown>).then(
      (result) =>
        result instanceof PendingReply
          ? this.await(span, result)
          : this.replies.settleSpan(span, result),
      (error: unknown) => this.fail(span, error),
    );
  }

  private await(span: FrameSpan, pending: PendingReply): void {
    pending.stored.then(
      () => this.replies.settleSpan(span, pending.reply),
      (error: unknown) => this.fail(span, error),
    );
  }

  private fail(span: FrameSpan, error: unknown): void {
    const frame = errorFrameOf(error);
    if (frame === undefined) this.onError(error);
    this.replies.settleSpan(span, frame ?? INTERNAL);
  }

  private handlerFor(event: unknown): MessageMappingProperties | undefined {
    for (const handler of this.handlers) if (handler.message === event) return handler;
    return undefined;
  }
}

function unknownEvent(event: unknown): string {
  return errorFrame(400, `unknown event: ${String(event).slice(0, 64)}`);
}
