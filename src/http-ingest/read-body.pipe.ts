import type { IncomingMessage } from 'node:http';
import { Injectable, type PipeTransform } from '@nestjs/common';
import { EnvDto } from '../config/env.dto.js';
import type { BodyItems } from './body-items.js';
import { bodyFormatOf, checkContentEncoding } from './body-format.util.js';
import { MAX_ENTRIES_PER_REQUEST } from './http-ingest.constants.js';
import { readRequestBody, type BodyLimits } from './request-body.reader.js';

/**
 * Reads a POST /logs body from the request stream (Nest's body parser is off: see main.ts), by
 * its content type, within HTTP_MAX_BODY. Runs after the guard, so an unknown key never gets
 * its body read.
 * @throws DomainError 415 for another content type, 413 over a limit.
 */
@Injectable()
export class ReadBodyPipe implements PipeTransform<IncomingMessage, Promise<BodyItems>> {
  private readonly limits: BodyLimits;

  constructor(env: EnvDto) {
    this.limits = { maxBytes: env.HTTP_MAX_BODY, maxItems: MAX_ENTRIES_PER_REQUEST };
  }

  transform(req: IncomingMessage): Promise<BodyItems> {
    try {
      checkContentEncoding(req.headers['content-encoding']);
      return readRequestBody(req, bodyFormatOf(req.headers['content-type']), this.limits);
    } catch (error) {
      return Promise.reject(error);
    }
  }
}
