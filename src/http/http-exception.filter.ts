import {
  BadRequestException,
  Catch,
  HttpException,
  NotFoundException,
  Injectable,
  Logger,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';
import { quoteClientText } from '../common/client-text.util.js';
import { DomainError } from '../common/domain.error.js';
import { EnvDto } from '../config/env.dto.js';
import { discardBody } from './discard-body.util.js';
import { writeHttpError, type HttpErrorBody } from './http-error.util.js';

/** How long the rest of a refused body is read and dropped before the connection is cut. */
const LINGER_MS = 2000;
/** How Nest's router words a path parameter that decodeURIComponent refuses. */
const DECODE = 'Failed to decode param';

/** A DomainError that adds fields of its own to the HTTP error body (e.g. `rejected`). */
export interface WithHttpExtra {
  readonly httpExtra?: Readonly<Record<string, unknown>>;
}

/**
 * The one place an HTTP error becomes a response (SPEC §4), bound globally (HttpModule), so
 * Nest's own answers have the same body as ours: an unknown route or method (404, naming the
 * path, bounded and quoted), a path whose percent-encoding does not decode (400). A DomainError
 * keeps its status, message and field errors; other HttpExceptions their status; anything else
 * is a defect, logged once and answered 500. (The health probes keep terminus' body: their
 * controller has its own filter, which Nest prefers to a global one.) A request refused before
 * its body was read (401, 415) has the rest of its body dropped first, within HTTP_MAX_BODY, so
 * a client that writes its whole body before reading still gets the answer; a 413 is answered at
 * once, then the rest is dropped for a moment before the connection is cut.
 */
@Catch()
@Injectable()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(HttpExceptionFilter.name);
  private readonly maxBytes: number;

  constructor(env: EnvDto) {
    this.maxBytes = env.HTTP_MAX_BODY;
  }

  catch(exception: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<IncomingMessage>();
    const res = host.switchToHttp().getResponse<ServerResponse>();
    const body = this.toBody(exception, req);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (req.complete) return writeHttpError(res, body);
    if (body.status === 413) {
      writeHttpError(res, body);
      void discardBody(req, this.maxBytes, LINGER_MS).then((ended) => ended || req.destroy());
      return;
    }
    void discardBody(req, this.maxBytes, LINGER_MS).then((ended) => {
      if (!ended) res.setHeader('Connection', 'close');
      writeHttpError(res, body);
    });
  }

  private toBody(exception: unknown, req: IncomingMessage): HttpErrorBody {
    if (exception instanceof DomainError) {
      const extra = (exception as WithHttpExtra).httpExtra;
      const { status, message } = exception;
      return { status, message, errors: exception.errors ?? [], ...exception.details, ...extra };
    }
    if (exception instanceof NotFoundException) {
      const path = quoteClientText(pathOf(req.url));
      return { status: 404, message: `no route ${req.method ?? ''} ${path}`, errors: [] };
    }
    if (exception instanceof BadRequestException && exception.message.startsWith(DECODE)) {
      const message = 'the path holds malformed percent-encoding';
      return { status: 400, message, errors: [{ field: 'path', message }] };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      return { status, message: STATUS_CODES[status] ?? 'error', errors: [] };
    }
    this.logger.error({ err: exception }, 'unexpected error in an HTTP handler');
    return { status: 500, message: 'internal error', errors: [] };
  }
}

function pathOf(url = '/'): string {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}
