import type { FieldError } from './log-entry.js';

export interface Rejection {
  index: number;
  errors: FieldError[];
}

/** The server frames a producer connection receives (SPEC §3, §8), parsed. */
export type ServerFrame =
  | { kind: 'hello'; lastSeq: number }
  | { kind: 'ack'; accepted: number; rejected: Rejection[]; duplicate: boolean }
  | {
      kind: 'error';
      status: number;
      message: string;
      errors: FieldError[];
      retryAfterMs?: number;
      expected?: number;
    }
  | { kind: 'other'; event: string };

type Json = Record<string, unknown>;

/** Parses one text frame; a frame that is none of the known shapes is `other`. */
export function parseServerFrame(text: string): ServerFrame {
  let frame: Json;
  try {
    frame = JSON.parse(text) as Json;
  } catch {
    return { kind: 'other', event: '<not json>' };
  }
  const data = (isObject(frame?.data) ? frame.data : {}) as Json;
  switch (frame?.event) {
    case 'hello':
      return { kind: 'hello', lastSeq: integer(data.lastSeq) ?? 0 };
    case 'ack':
      return {
        kind: 'ack',
        accepted: integer(data.accepted) ?? 0,
        rejected: Array.isArray(data.rejected) ? (data.rejected as Rejection[]) : [],
        duplicate: data.duplicate === true,
      };
    case 'error':
      return {
        kind: 'error',
        status: integer(data.status) ?? 0,
        message: typeof data.message === 'string' ? data.message : '',
        errors: Array.isArray(data.errors) ? (data.errors as FieldError[]) : [],
        ...(integer(data.retryAfterMs) !== undefined
          ? { retryAfterMs: integer(data.retryAfterMs) }
          : {}),
        ...(integer(data.expected) !== undefined ? { expected: integer(data.expected) } : {}),
      };
    default:
      return { kind: 'other', event: String(frame?.event) };
  }
}

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function integer(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) ? value : undefined;
}
