import { Controller, Get, Inject, Query, UseGuards } from '@nestjs/common';
import {
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { HttpApiKeyGuard } from '../auth/http-api-key.guard.js';
import { RequireScope } from '../auth/require-scope.decorator.js';
import { parseLogQuery } from './log-query.util.js';
import type { LogPage, LogReader } from './log-reader.interface.js';
import { LOG_READER, MAX_LIMIT } from './query.constants.js';

const ERROR = { $ref: '#/components/schemas/HttpError' };

/** `GET /logs` (SPEC §4): stored entries, newest first, for reader keys. */
@Controller('logs')
@UseGuards(HttpApiKeyGuard)
export class LogsQueryController {
  constructor(@Inject(LOG_READER) private readonly reader: LogReader) {}

  @Get()
  @RequireScope('read')
  @ApiTags('query')
  @ApiOperation({ summary: 'Stored entries, newest first, filtered; page on with `next`' })
  @ApiHeader({ name: 'x-api-key', required: true, description: 'a reader key (read scope)' })
  @ApiQuery({ name: 'correlationId', required: false })
  @ApiQuery({ name: 'project', required: false })
  @ApiQuery({ name: 'system', required: false })
  @ApiQuery({ name: 'module', required: false })
  @ApiQuery({ name: 'level', required: false, enum: ['info', 'warning', 'error'] })
  @ApiQuery({ name: 'from', required: false, description: 'RFC 3339, inclusive' })
  @ApiQuery({ name: 'to', required: false, description: 'RFC 3339, inclusive' })
  @ApiQuery({ name: 'limit', required: false, description: `1..${MAX_LIMIT}, default 100` })
  @ApiQuery({ name: 'cursor', required: false, description: '`next` of the previous page' })
  @ApiOkResponse({
    schema: {
      type: 'object',
      properties: {
        entries: { type: 'array', items: { type: 'object' } },
        next: { type: 'string', nullable: true },
      },
    },
  })
  @ApiResponse({ status: 400, description: 'a bad parameter, named', schema: ERROR })
  @ApiResponse({ status: 401, description: 'missing or unknown key', schema: ERROR })
  @ApiResponse({ status: 403, description: 'not a reader key', schema: ERROR })
  list(@Query() raw: Record<string, unknown>): Promise<LogPage> {
    return this.reader.read(parseLogQuery(raw));
  }
}
