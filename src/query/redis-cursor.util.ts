import { bad } from './log-query.util.js';

const STREAM_ID = /^(\d{1,20})-(\d{1,20})$/;

/** A redis page's cursor: the stream id of the last entry scanned, made opaque. */
export function encodeRedisCursor(streamId: string): string {
  return Buffer.from(streamId).toString('base64url');
}

/** @throws DomainError 400 naming `cursor` for anything encodeRedisCursor did not make. */
export function decodeRedisCursor(cursor: string): string {
  const id = cursor.length <= 64 ? Buffer.from(cursor, 'base64url').toString('latin1') : '';
  if (!STREAM_ID.test(id)) throw bad('cursor', 'is not a cursor of this service');
  return id;
}
