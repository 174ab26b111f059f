import type { ServerResponse } from 'node:http';
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
