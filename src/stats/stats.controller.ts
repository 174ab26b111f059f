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
  summarize,
  summarizeProject,
  type ProjectStats,
  type StatsSummary,
} from './stats-summary.util.js';
import { STATS_STORE } from './stats.constants.js';

const ERROR = { $ref: '#/components/schemas/HttpError' };
const COUNTS = { type: 'object', additionalProperties: { type: 'integer' } };

/** `GET /stats`, `GET /stats/:project` (SPEC §4): counts of stored entries, for reader keys. */
@Controller('stats')
@UseGuards(HttpApiKeyGuard)
@ApiTags('stats')
@ApiHeader({ name: 'x-api-key', required: true, description: 'a reader key (read scope)' })
@ApiQuery({ name: 'from', required: false, description: 'RFC 3339, inclusive; default to − 24 h' })
@ApiQuery({ name: 'to', required: false, description: 'RFC 3339, exclusive; default now' })
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
      properties: { total: { type: 'integer' }, byLevel: COUNTS, byProject: COUNTS },
    },
  })
  async all(@Query() raw: Record<string, unknown>): Promise<StatsSummary> {
    const window = parseStatsQuery(raw, Date.now());
    return summarize(await this.store.read(window.fromMinute, window.toMinute));
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
    const window = parseStatsQuery(raw, Date.now());
    return summarizeProject(await this.store.read(window.fromMinute, window.toMinute), project);
  }
}
