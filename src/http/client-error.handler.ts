import type { Duplex } from 'node:stream';
import { rawHttpError } from './http-error.util.js';

/** Node's parser errors, as its own default handler maps them. */
const STATUS_OF: Readonly<Record<string, number>> = {
  HPE_HEADER_OVERFLOW: 431,
  HPE_CHUNK_EXTENSIONS_OVERFLOW: 413,
  ERR_HTTP_REQUEST_TIMEOUT: 408,
};
const MESSAGE_OF: Readonly<Record<number, string>> = {
  400: 'malformed HTTP request',
  408: 'the request was not received in time',
  413: 'chunk extensions too large',
  431: 'request headers too large',
};

/**
 * The HTTP server's `clientError`: a request Node cannot parse (a broken request line, headers
 * over the limit, a timeout) never reaches Nest, and Node's own answer has no body. This one
 * answers with the SPEC §4 body and closes, as Node would; a reset or an unwritable socket, or
 * one whose previous response is still being written, is only closed.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  // A pipelined request's response may have begun on this socket: no second head then.
  const pending = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } | null })
    ._httpMessage;
  const busy = pending?.headersSent === true;
  if (error.code === 'ECONNRESET' || !socket.writable || busy) {
    socket.destroy();
    return;
  }
  const status = STATUS_OF[error.code ?? ''] ?? 400;
  socket.end(rawHttpError(status, MESSAGE_OF[status]));
}
