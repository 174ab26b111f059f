import type { Socket } from 'node:net';
import type { MessageMappingProperties } from '@nestjs/websockets';
import type { RawData, WebSocket } from 'ws';
import type { Principal } from '../auth/principal.js';
import type { Revocable } from '../auth/revocable.js';
import { PendingReply } from './pending-reply.js';
import { ReplyQueue, type FrameSpan, type ReplyTarget } from './reply-queue.js';
import { errorFrame, errorFrameOf, type EncodedReply } from './wire.js';

/** A ws socket of the ingest gateway: what the guard and the exception filter read from it. */
export type IngestSocket = WebSocket & { principal: Principal; connection: WsConnection };

export interface ConnectionLimits {
  /** Unanswered frames after which the socket stops being read (SPEC §3 backpressure). */
  maxInflight: number;
  /** Bytes of replies queued in user space after which the socket stops being read. */
  maxQueuedReplyBytes: number;
  /** Parse binary frames as JSON instead of refusing them (WS_BINARY_FRAMES=json). */
  binaryAsJson: boolean;
}

/** Every reply is a text frame, the pre-encoded ack bytes included. */
const TEXT = { binary: false };

const MALFORMED = errorFrame(400, 'malformed JSON');
const NOT_AN_OBJECT = errorFrame(400, 'a frame must be a JSON object {"event": ..., "data": ...}');
const BINARY = errorFrame(400, 'binary frames are not supported: send JSON text frames');
const INTERNAL = errorFrame(500, 'internal error');
const REVOKED = errorFrame(401, 'session expired or revoked');
const SHUTTING_DOWN = errorFrame(503, 'shutting down: frame not stored, reconnect');
/** The event whose consecutive frames reach the gateway as one run (LogsGateway.log). */
const RUN_EVENT = 'log';
/** Close code of SPEC §2 for a session that ended while connected. */
export const CLOSE_SESSION_REVOKED = 4401;

/** Sockets corked during this tick: uncorked together once the tick's replies are all queued. */
const corked: WsConnection[] = [];
function uncorkAll(): void {
  for (const connection of corked) connection.uncork();
  corked.length = 0;
}

/**
 * One client connection: it dispatches its frames to the gateway's Nest handlers, answers them in
 * arrival order through its ReplyQueue, stops reading while too much is unanswered, and ends on
 * shutdown (1012) or when its session is revoked (4401).
 */
export class WsConnection implements Revocable, ReplyTarget {
  private readonly replies = new ReplyQueue(this);
  /** `log` frames of this read waiting to go to the gateway together (see joinRun). */
  private run: { handler: MessageMappingProperties; first: number; payloads: unknown[] } | null =
    null;
  private handlers: MessageMappingProperties[] = [];
  private paused = false;
  private closed = false;
  private isCorked = false;
  /** Set at shutdown: frames already received are answered, no further frame is read. */
  private stopped = false;
  /** The session ended: what was received is answered, then a 401 error, then close 4401. */
  private revoked = false;
  missedPongs = 0;

  constructor(
    readonly ws: WebSocket,
    private readonly socket: Socket,
    public principal: Principal,
    private readonly limits: ConnectionLimits,
    private readonly onError: (error: unknown) => void,
  ) {
    socket.on('drain', () => this.maybeResume());
    ws.once('close', () => {
      this.closed = true;
    });
  }

  /** Frames received and not yet answered. */
  get inflight(): number {
    return this.replies.length;
  }

  listen(handlers: MessageMappingProperties[]): void {
    this.handlers = handlers;
    this.ws.on('message', onMessage);
  }

  /** Hot path: one frame in, one slot reserved, the handler called; the reply leaves in order. */
  receive(data: RawData, isBinary: boolean): void {
    const seq = this.replies.reserve();
    // Frames read after the connection stopped (ws had them buffered) are refused, not stored.
    if (this.stopped) return this.settle(seq, this.revoked ? REVOKED : SHUTTING_DOWN);
    if (
      this.replies.length >= this.limits.maxInflight ||
      this.socket.writableLength > this.limits.maxQueuedReplyBytes
    ) {
      this.pause();
    }
    if (isBinary && !this.limits.binaryAsJson) return this.settle(seq, BINARY);
    let frame: unknown;
    try {
      frame = JSON.parse(data as unknown as string);
    } catch {
      return this.settle(seq, MALFORMED);
    }
    if (frame === null || typeof frame !== 'object' || Array.isArray(frame)) {
      return this.settle(seq, NOT_AN_OBJECT);
    }
    const { event, data: payload } = frame as { event?: unknown; data?: unknown };
    const handler = this.handlerFor(event);
    if (!handler) return this.settle(seq, unknownEvent(event));
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
   * Calls a gateway handler through Nest (guards, pipes, filters). The span rides in the argument
   * slot the stock adapter uses for the event name, so that the exception filter can answer in
   * the slots of the frames that failed (see WsExceptionFilter).
   */
  private dispatch(handler: MessageMappingProperties, payload: unknown, span: FrameSpan): void {
    (handler.callback(payload, span) as Promise<unknown>).then(
      (result) =>
        result instanceof PendingReply ? this.await(span, result) : this.answer(span, result),
      (error: unknown) => this.fail(span, error),
    );
  }

  private await(span: FrameSpan, pending: PendingReply): void {
    pending.stored.then(
      () => this.answer(span, pending.reply),
      (error: unknown) => this.fail(span, error),
    );
  }

  private fail(span: FrameSpan, error: unknown): void {
    const frame = errorFrameOf(error);
    if (frame === undefined) this.onError(error);
    this.answer(span, frame ?? INTERNAL);
  }

  /** Answers the frames of a span (see ReplyQueue.settleSpan); the exception filter's way in. */
  answer(span: FrameSpan, replies: unknown): void {
    this.replies.settleSpan(span, replies);
  }

  private settle(seq: number, reply: unknown): void {
    this.replies.settle(seq, reply);
  }

  revoke(): void {
    if (this.revoked || this.closed) return;
    this.revoked = true;
    this.stopReading();
    this.settle(this.replies.reserve(), REVOKED);
  }

  renew(principal: Principal): void {
    this.principal = principal;
    (this.ws as IngestSocket).principal = principal;
  }

  /** Stops reading for good (shutdown): frames already received still get their replies. */
  stopReading(): void {
    this.stopped = true;
    this.pause();
  }

  /** Starts the close handshake; reading resumes so that the peer's close frame is seen. */
  close(code: number, reason: string): void {
    this.paused = false;
    this.ws.resume();
    this.ws.close(code, reason);
  }

  uncork(): void {
    this.isCorked = false;
    this.socket.uncork();
    this.maybeResume();
  }

  sendReply(reply: EncodedReply): void {
    if (this.closed) return;
    if (!this.isCorked) {
      this.isCorked = true;
      this.socket.cork();
      if (corked.push(this) === 1) process.nextTick(uncorkAll);
    }
    this.ws.send(reply, TEXT);
  }

  afterFlush(): void {
    if (this.revoked && this.replies.length === 0)
      this.close(CLOSE_SESSION_REVOKED, 'session revoked');
    this.maybeResume();
  }

  private pause(): void {
    if (this.paused || this.closed) return;
    this.paused = true;
    this.ws.pause();
  }

  private maybeResume(): void {
    if (!this.paused || this.stopped || this.closed) return;
    if (this.replies.length > this.limits.maxInflight >> 1) return;
    if (this.socket.writableLength > this.limits.maxQueuedReplyBytes) return;
    this.paused = false;
    this.ws.resume();
  }

  private handlerFor(event: unknown): MessageMappingProperties | undefined {
    for (const handler of this.handlers) if (handler.message === event) return handler;
    return undefined;
  }
}

function unknownEvent(event: unknown): string {
  return errorFrame(400, `unknown event: ${String(event).slice(0, 64)}`);
}

/** Shared by every socket (`this` is the socket), so a connection costs no listener closure. */
function onMessage(this: WebSocket, data: RawData, isBinary: boolean): void {
  (this as IngestSocket).connection.receive(data, isBinary);
}
