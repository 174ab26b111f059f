import { WsException } from '@nestjs/websockets';
import { DomainError, type FieldError } from '../common/domain.error.js';

/**
 * Encoders of the server's frames (SPEC §3). Replies travel encoded (a string, or bytes) so the
 * reply queue never has to know what a reply means.
 */
export type EncodedReply = string | Buffer;

/**
 * A reply that takes effect when it leaves, after every earlier frame's reply: `subscribed` starts
 * the pushes only then, so no pushed entry can precede it. `onSent` must not throw.
 */
export class ReplyWithEffect {
  constructor(
    readonly reply: EncodedReply,
    readonly onSent: () => void,
  ) {}
}

/** The ack of every `log` frame, encoded once: sent as-is, without a per-ack conversion. */
export const ACK_ONE: EncodedReply = Buffer.from('{"event":"ack","data":{"accepted":1}}');

/** The reply to a frame that met a defect of the service (never to bad input). */
export const INTERNAL_ERROR = errorFrame(500, 'internal error');

export interface Rejection {
  index: number;
  errors: readonly FieldError[];
}

export function batchAck(
  seq: number | undefined,
  accepted: number,
  rejected: readonly Rejection[],
): string {
  return JSON.stringify({ event: 'ack', data: { seq, accepted, rejected } });
}

export function errorFrame(
  status: number,
  message: string,
  errors?: readonly FieldError[],
  details?: Readonly<Record<string, number | string>>,
): string {
  const data = errors && errors.length > 0 ? { status, message, errors } : { status, message };
  return JSON.stringify({ event: 'error', data: details ? { ...data, ...details } : data });
}

/** The error frame of an exception the client should hear about; undefined for a defect. */
export function errorFrameOf(exception: unknown): string | undefined {
  if (exception instanceof DomainError) {
    return errorFrame(exception.status, exception.message, exception.errors, exception.details);
  }
  // Nest's own rejection, e.g. a guard returning false.
  if (exception instanceof WsException) return errorFrame(403, String(exception.message));
  return undefined;
}
