import { bad } from './log-query.util.js';

/** Where a postgres page stopped: the last row's `ts` (as postgres printed it, or null) and `id`. */
export interface PostgresCursor {
  ts: string | null;
  id: string;
}

const MAX_CURSOR = 128;

export function encodePostgresCursor(cursor: PostgresCursor): string {
  return Buffer.from(JSON.stringify([cursor.ts, cursor.id])).toString('base64url');
}

/** @throws DomainError 400 naming `cursor` for anything encodePostgresCursor did not make. */
export function decodePostgresCursor(text: string): PostgresCursor {
  let value: unknown;
  try {
    value = text.length <= MAX_CURSOR ? JSON.parse(Buffer.from(text, 'base64url').toString()) : 0;
  } catch {
    value = undefined;
  }
  if (
    Array.isArray(value) &&
    value.length === 2 &&
    (value[0] === null || (typeof value[0] === 'string' && /^[0-9 :.+-]{10,40}$/.test(value[0]))) &&
    typeof value[1] === 'string' &&
    /^\d{1,19}$/.test(value[1])
  ) {
    return { ts: value[0] as string | null, id: value[1] };
  }
  throw bad('cursor', 'is not a cursor of this service');
}
