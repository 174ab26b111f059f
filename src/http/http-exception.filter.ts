import {
  Catch,
  HttpException,
  Logger,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';
import { DomainError } from '../common/domain.error.js';
import { writeHttpError, type HttpErrorBody } from './http-error.util.js';

/** A DomainError that adds fields of its own to the HTTP error body (e.g. `rejected`). */
export interface WithHttpExtra {
  readonly httpExtra?: Readonly<Record<string, unknown>>;
}

/**
 * The one place an HTTP handler's error becomes a response (SPEC §4): a DomainError keeps its
 * status, message and field errors; Nest's own HttpExceptions their status; anything else is a
 * defect, logged once and answered 500. A 413 closes the connection: the rest of that body is
 * not read.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(HttpExceptionFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<ServerResponse>();
    const body = this.toBody(exception);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (body.status === 413) res.setHeader('Connection', 'close');
    writeHttpError(res, body);
  }

  private toBody(exception: unknown): HttpErrorBody {
    if (exception instanceof DomainError) {
      const extra = (exception as WithHttpExtra).httpExtra;
      const { status, message } = exception;
      return { status, message, errors: exception.errors ?? [], ...extra };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      return { status, message: STATUS_CODES[status] ?? exception.message, errors: [] };
    }
    this.logger.error({ err: exception }, 'unexpected error in an HTTP handler');
    return { status: 500, message: 'internal error', errors: [] };
  }
}
