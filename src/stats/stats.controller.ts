import { Controller, Get, Inject, Param, Query, UseGuards } from '@nestjs/common';
import {
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { HttpApiKeyGuard } from '../auth/http-api-key.guard.js';
import { RequireScope } from '../auth/require-scope.decorator.js';
import { quoteClientText } from '../common/client-text.util.js';
import { DomainError } from '../common/domain.error.js';
import { isContractString } from '../contract/unicode.util.js';
import type { StatsStore } from './stats-store.interface.js';
import { parseStatsQuery } from './stats-query.util.js';
import {
  tallyProject,
  tallyStats,
  type ProjectStats,
  type StatsSummary,
} from './stats-summary.util.js';
import { STATS_STORE } from './stats.constants.js';

const ERROR = { $ref: '#/components/schemas/HttpError' };
const COUNTS = { type: 'object', additionalProperties: { type: 'integer' } };
const SERIES = {
  type: 'array',
  description: 'with series=minute: every minute of the window, oldest first, zeros included',
  items: {
    type: 'object',
    properties: {
      at: { type: 'string', format: 'date-time' },
      total: { type: 'integer' },
      byLevel: COUNTS,
    },
  },
};

/** `GET /stats`, `GET /stats/:project` (SPEC §4): counts of stored entries, for reader keys. */
@Controller('stats')
@UseGuards(HttpApiKeyGuard)
@ApiTags('stats')
@ApiHeader({ name: 'x-api-key', required: true, description: 'a reader key (read scope)' })
@ApiQuery({ name: 'from', required: false, description: 'RFC 3339, inclusive; default to − 24 h' })
@ApiQuery({ name: 'to', required: false, description: 'RFC 3339, exclusive; default now' })
@ApiQuery({
  name: 'level',
  required: false,
  enum: ['info', 'warning', 'error'],
  description: 'count only entries of this level',
})
@ApiQuery({
  name: 'series',
  required: false,
  enum: ['minute'],
  description: 'add `series`: the counts of every minute of the window by level',
})
@ApiResponse({ status: 400, description: 'a bad parameter, named', schema: ERROR })
@ApiResponse({ status: 401, description: 'missing or unknown key', schema: ERROR })
@ApiResponse({ status: 403, description: 'not a reader key', schema: ERROR })
@ApiResponse({ status: 503, description: 'Redis cannot answer', schema: ERROR })
export class StatsController {
  constructor(@Inject(STATS_STORE) private readonly store: StatsStore) {}

  @Get()
  @RequireScope('read')
  @ApiOperation({ summary: 'Stored entries by level and project, per-minute precision' })
  @ApiOkResponse({
    schema: {
      type: 'object',
      properties: {
        total: { type: 'integer' },
        byLevel: COUNTS,
        byProject: COUNTS,
        series: SERIES,
      },
    },
  })
  async all(@Query() raw: Record<string, unknown>): Promise<StatsSummary> {
    const query = parseStatsQuery(raw, Date.now());
    const tally = tallyStats(query);
    await this.store.read(query.fromMinute, query.toMinute, tally.visit);
    return tally.result();
  }

  @Get(':project')
  @RequireScope('read')
  @ApiOperation({ summary: "One project's stored entries by level, system and module" })
  @ApiParam({ name: 'project', description: '1..128 characters' })
  @ApiOkResponse({
    schema: {
      type: 'object',
      properties: {
        project: { type: 'string' },
        total: { type: 'integer' },
        byLevel: COUNTS,
        bySystem: COUNTS,
        byModule: COUNTS,
        series: SERIES,
      },
    },
  })
  async project(
    @Param('project') project: string,
    @Query() raw: Record<string, unknown>,
  ): Promise<ProjectStats> {
    if (!isContractString(project, 1, 128)) {
      const message = `project ${quoteClientText(project)} must be 1..128 characters`;
      throw new DomainError(400, `invalid path parameter "project": ${message}`, [
        { field: 'project', message },
      ]);
    }
    const query = parseStatsQuery(raw, Date.now());
    const tally = tallyProject(query, project);
    await this.store.read(query.fromMinute, query.toMinute, tally.visit);
    return tally.result();
  }
}
