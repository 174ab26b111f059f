import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { quoteClientText } from '../common/client-text.util.js';
import { EnvDto } from '../config/env.dto.js';
import { API_KEY_HEADER } from '../auth/api-key.extractor.js';
import { writeHttpError } from './http-error.util.js';
import { OriginPolicy } from './origin.policy.js';

const ALLOW_METHODS = 'GET, POST, OPTIONS';
const ALLOW_HEADERS = `${API_KEY_HEADER}, content-type`;
const PREFLIGHT_MAX_AGE_S = '600';

/**
 * SPEC §3 origins for HTTP: a request from a refused origin gets 403 before any handler runs;
 * one from an allowed origin gets CORS headers, and its preflight (OPTIONS with
 * Access-Control-Request-Method) is answered 204 here with the methods and `x-api-key` allowed.
 */
@Injectable()
export class OriginMiddleware implements NestMiddleware {
  private readonly policy: OriginPolicy;

  constructor(env: EnvDto) {
    this.policy = new OriginPolicy(env.ALLOWED_ORIGINS);
  }

  use(req: IncomingMessage, res: ServerResponse, next: () => void): void {
    const origin = req.headers.origin;
    const verdict = this.policy.judge(origin, req.headers.host);
    if (verdict === 'none') return next();
    if (verdict === 'refused') {
      return writeHttpError(res, {
        status: 403,
        message: `origin ${quoteClientText(origin)} is not allowed (ALLOWED_ORIGINS)`,
        errors: [],
      });
    }
    res.setHeader('Access-Control-Allow-Origin', origin as string);
    res.setHeader('Vary', 'Origin');
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined) {
      res.statusCode = 204;
      res.setHeader('Access-Control-Allow-Methods', ALLOW_METHODS);
      res.setHeader('Access-Control-Allow-Headers', ALLOW_HEADERS);
      res.setHeader('Access-Control-Max-Age', PREFLIGHT_MAX_AGE_S);
      res.end();
      return;
    }
    next();
  }
}
