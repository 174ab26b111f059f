import { bad } from './log-query.util.js';

/** Where a file scan stopped: before byte `offset` of day file `day`. */
export interface FileCursor {
  day: string;
  offset: number;
}

const SHAPE = /^(\d{4}-\d{2}-\d{2})\.(\d{1,15})$/;

export function encodeFileCursor({ day, offset }: FileCursor): string {
  return Buffer.from(`${day}.${offset}`).toString('base64url');
}

/** @throws DomainError 400 naming `cursor` for anything encodeFileCursor did not make. */
export function decodeFileCursor(cursor: string): FileCursor {
  const match = SHAPE.exec(Buffer.from(cursor, 'base64url').toString('latin1'));
  if (match === null || cursor.length > 64) throw bad('cursor', 'is not a cursor of this service');
  return { day: match[1], offset: Number(match[2]) };
}
