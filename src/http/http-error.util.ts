import { STATUS_CODES, type ServerResponse } from 'node:http';
import type { FieldError } from '../common/domain.error.js';

/** The HTTP error body of SPEC §4: as the WebSocket `error` frame's data. */
export interface HttpErrorBody {
  status: number;
  message: string;
  errors: readonly FieldError[];
  [extra: string]: unknown;
}

/** Answers with an error body (see HttpExceptionFilter); for code outside Nest's filters too. */
export function writeHttpError(res: ServerResponse, body: HttpErrorBody): void {
  const text = JSON.stringify(body);
  res.statusCode = body.status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}

/**
 * A whole HTTP/1.1 error response with the SPEC §4 body, for a raw socket that never became a
 * request object (a refused WebSocket upgrade, a request Node could not parse); it closes.
 */
export function rawHttpError(status: number, message = STATUS_CODES[status] ?? 'error'): string {
  const text = JSON.stringify({ status, message, errors: [] } satisfies HttpErrorBody);
  return (
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nConnection: close\r\n` +
    `Content-Type: application/json; charset=utf-8\r\n` +
    `Content-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`
  );
}
