import { Controller, Get, Inject, Logger, Param, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { writeHttpError } from '../http/http-error.util.js';
import type { ConsoleAssets, ConsoleFile } from './console-assets.js';
import { CONSOLE_ASSETS, CONSOLE_CSP } from './console.constants.js';

/**
 * SPEC §10: `GET /console` answers the page itself (no redirect to `/console/`), `GET /`
 * redirects there, and the page's hashed assets come from `/console/assets/`. Every answer
 * carries the console's Content-Security-Policy.
 */
@Controller()
@ApiExcludeController()
export class ConsoleController {
  private readonly logger = new Logger(ConsoleController.name);

  constructor(@Inject(CONSOLE_ASSETS) private readonly files: ConsoleAssets) {
    if (files.page === undefined) {
      this.logger.warn('the web console is not built (npm run build): GET /console answers 404');
    }
  }

  @Get()
  root(@Res() res: ServerResponse): void {
    res.statusCode = 302;
    res.setHeader('Location', '/console');
    res.end();
  }

  @Get('console')
  page(@Req() req: IncomingMessage, @Res() res: ServerResponse): void {
    send(req, res, this.files.page);
  }

  @Get('console/assets/:name')
  asset(
    @Param('name') name: string,
    @Req() req: IncomingMessage,
    @Res() res: ServerResponse,
  ): void {
    send(req, res, this.files.asset(name));
  }
}

function send(req: IncomingMessage, res: ServerResponse, file: ConsoleFile | undefined): void {
  res.setHeader('Content-Security-Policy', CONSOLE_CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  if (file === undefined) {
    return writeHttpError(res, { status: 404, message: 'no such console file', errors: [] });
  }
  res.setHeader('Cache-Control', file.cacheControl);
  res.setHeader('ETag', file.etag);
  if (req.headers['if-none-match'] === file.etag) {
    res.statusCode = 304;
    res.end();
    return;
  }
  res.statusCode = 200;
  res.setHeader('Content-Type', file.type);
  res.setHeader('Content-Length', file.body.length);
  res.end(req.method === 'HEAD' ? undefined : file.body);
}
