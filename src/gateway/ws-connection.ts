import type { Socket } from 'node:net';
import type { MessageMappingProperties } from '@nestjs/websockets';
import type { RawData, WebSocket } from 'ws';
import type { Principal } from '../auth/principal.js';
import type { Revocable } from '../auth/revocable.js';
import type { ProducerStream } from '../producer/producer-stream.js';
import type { TailOutlet } from '../tail/tail-outlet.js';
import { FrameDispatcher } from './frame-dispatcher.js';
import { ReplyQueue, type FrameSpan, type ReplyTarget } from './reply-queue.js';
import { textFrames } from './text-frames.util.js';
import { errorFrame, INTERNAL_ERROR, type EncodedReply } from './wire.js';

/** A ws socket of the ingest gateway: what the guard and the exception filter read from it. */
export type IngestSocket = WebSocket & { principal: Principal; connection: WsConnection };

export interface ConnectionLimits {
  /** Unanswered frames after which the socket stops being read (SPEC §3 backpressure). */
  maxInflight: number;
  /** Bytes of replies queued in user space after which the socket stops being read. */
  maxQueuedReplyBytes: number;
}

const MALFORMED = errorFrame(400, 'malformed JSON');
const BINARY = errorFrame(400, 'binary frames are not supported: send JSON text frames');
const REVOKED = errorFrame(401, 'session expired or revoked');
const SHUTTING_DOWN = errorFrame(503, 'shutting down: frame not stored, reconnect');
/** Close code of SPEC §2 for a session that ended while connected. */
export const CLOSE_SESSION_REVOKED = 4401;
/** Close code of RFC 6455 for a server that cannot go on with this connection. */
const CLOSE_INTERNAL_ERROR = 1011;

/** Sockets corked during this tick: uncorked together once the tick's replies are all queued. */
const corked: WsConnection[] = [];
function uncorkAll(): void {
  for (const connection of corked) connection.uncork();
  corked.length = 0;
}

/**
 * One client connection: it parses its frames and hands them to its FrameDispatcher, answers them
 * in arrival order through its ReplyQueue, stops reading while too much is unanswered, and ends
 * on shutdown (1012) or when its session is revoked (4401).
 */
export class WsConnection implements Revocable, ReplyTarget, TailOutlet {
  private readonly replies = new ReplyQueue(this);
  private readonly dispatcher: FrameDispatcher;
  private paused = false;
  private closed = false;
  private closing = false;
  private isCorked = false;
  /**
   * Set once no further frame may be stored (shutdown, revocation): frames ws still delivers get
   * this reply instead of reaching a handler; frames received before still get theirs.
   */
  private refusal: EncodedReply | null = null;
  /** The session ended: what was received is answered, then a 401 error, then close 4401. */
  private revoked = false;
  /** Set on a producer connection (SPEC §8): its batches carry seqs, recorded once stored. */
  producer: ProducerStream | undefined;
  /** Frames received so far; the shutdown drain watches it to see a connection go quiet. */
  framesReceived = 0;
  missedPongs = 0;

  constructor(
    readonly ws: WebSocket,
    private readonly socket: Socket,
    public principal: Principal,
    private readonly limits: ConnectionLimits,
    onDefect: (error: unknown) => void,
  ) {
    this.dispatcher = new FrameDispatcher(this.replies, onDefect);
    socket.on('drain', () => this.maybeResume());
    // `on`, not `once`, for every 'close' listener of a socket: ws emits it once, and `once`
    // wraps each listener in a bound function and its state (~130 B per idle connection).
    ws.on('close', () => {
      this.closed = true;
    });
  }

  /** Frames received and not yet answered. */
  get inflight(): number {
    return this.replies.length;
  }

  /** Whether the close handshake has started (or the socket is closed already). */
  get isClosing(): boolean {
    return this.closing || this.closed;
  }

  /** Makes this a producer connection and sends `hello`, the first frame the client gets. */
  startProducerStream(producer: ProducerStream): void {
    this.producer = producer;
    this.write([producer.hello()]);
  }

  listen(handlers: MessageMappingProperties[]): void {
    this.dispatcher.listen(handlers);
    this.ws.on('message', onMessage);
  }

  /** Hot path: one frame in, one reply slot reserved, the frame parsed and routed. */
  receive(data: RawData, isBinary: boolean): void {
    const seq = this.replies.reserve();
    this.framesReceived++;
    // Frames read after the connection stopped (ws had them buffered) are refused, not stored.
    if (this.refusal !== null) return this.settle(seq, this.refusal);
    if (
      this.replies.length >= this.limits.maxInflight ||
      this.socket.writableLength > this.limits.maxQueuedReplyBytes
    ) {
      this.pause();
    }
    if (isBinary) return this.settle(seq, BINARY);
    let frame: unknown;
    try {
      frame = JSON.parse(data as unknown as string);
    } catch {
      return this.settle(seq, MALFORMED);
    }
    this.dispatcher.route(seq, frame);
  }

  /** Answers the frames of a span (see ReplyQueue.settleSpan); the exception filter's way in. */
  answer(span: FrameSpan, replies: EncodedReply | object): void {
    this.replies.settleSpan(span, replies);
  }

  private settle(seq: number, reply: EncodedReply): void {
    this.replies.settle(seq, reply);
  }

  revoke(): void {
    if (this.revoked || this.closed) return;
    this.revoked = true;
    this.refuse(REVOKED);
    this.settle(this.replies.reserve(), REVOKED);
  }

  renew(principal: Principal): void {
    this.principal = principal;
    (this.ws as IngestSocket).principal = principal;
  }

  /** Stops reading for good (shutdown): frames already received still get their replies. */
  stopReading(): void {
    this.refuse(SHUTTING_DOWN);
  }

  /** Starts the close handshake once; reading resumes so that the peer's close frame is seen. */
  close(code: number, reason: string): void {
    if (this.closing || this.closed) return;
    this.closing = true;
    this.paused = false;
    this.ws.resume();
    this.ws.close(code, reason);
  }

  uncork(): void {
    this.isCorked = false;
    this.socket.uncork();
    this.maybeResume();
  }

  /** A flush of replies, framed here and written at once (see write). */
  sendReplies(replies: readonly EncodedReply[]): void {
    this.write(replies);
  }

  afterFlush(): void {
    if (this.revoked && this.replies.length === 0)
      this.close(CLOSE_SESSION_REVOKED, 'session revoked');
    this.maybeResume();
  }

  /** Bytes queued in user space for the peer (TailOutlet). */
  get buffered(): number {
    return this.socket.writableLength;
  }

  /** A live-tail push: sent now, corked with this tick's replies, outside the reply order. */
  push(frame: string | Buffer): void {
    this.write([frame]);
  }

  /** A live-tail group, in one write. */
  pushAll(frames: readonly Buffer[]): void {
    this.write(frames);
  }

  /**
   * Every frame the server sends on this connection but ws's own (close, ping): framed here and
   * written at once, past ws's Sender, which never queues on this server (no permessage-deflate),
   * so they stay in order with ws's frames. Like ws.send, nothing once the close handshake began.
   */
  private write(payloads: readonly EncodedReply[]): void {
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return;
    this.cork();
    this.socket.write(textFrames(payloads));
  }

  /** Corks the socket until the end of this tick, so a tick's replies leave in one write. */
  private cork(): void {
    if (this.isCorked) return;
    this.isCorked = true;
    this.socket.cork();
    if (corked.push(this) === 1) process.nextTick(uncorkAll);
  }

  onDrain(listener: () => void): void {
    this.socket.on('drain', listener);
  }

  onClose(listener: () => void): void {
    this.ws.on('close', listener);
  }

  /** The reply queue broke (a defect): nothing can be answered in order any more. */
  abandon(): void {
    this.refuse(INTERNAL_ERROR);
    this.close(CLOSE_INTERNAL_ERROR, 'internal error');
  }

  private refuse(reply: EncodedReply): void {
    this.refusal ??= reply;
    this.pause();
  }

  private pause(): void {
    if (this.paused || this.closing || this.closed) return;
    this.paused = true;
    this.ws.pause();
  }

  private maybeResume(): void {
    if (!this.paused || this.refusal !== null || this.closed) return;
    if (this.replies.length > this.limits.maxInflight >> 1) return;
    if (this.socket.writableLength > this.limits.maxQueuedReplyBytes) return;
    this.paused = false;
    this.ws.resume();
  }
}

/** Shared by every socket (`this` is the socket), so a connection costs no listener closure. */
function onMessage(this: WebSocket, data: RawData, isBinary: boolean): void {
  (this as IngestSocket).connection.receive(data, isBinary);
}
