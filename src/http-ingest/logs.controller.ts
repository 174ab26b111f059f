import { Controller, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { HttpApiKeyGuard, type AuthenticatedRequest } from '../auth/http-api-key.guard.js';
import type { CheckedEntries, RejectedEntry } from '../contract/check-entries.util.js';
import { IngestService } from '../ingest/ingest.service.js';
import { IngestCounters } from '../metrics/ingest.counters.js';
import { RateLimitedError } from '../rate-limit/rate-limited.error.js';
import { RateLimiter } from '../rate-limit/rate-limiter.service.js';
import { StorageUnavailableError } from '../storage/storage-unavailable.error.js';
import { CheckBodyPipe } from './check-body.pipe.js';
import { IngestRequest } from './ingest-request.decorator.js';
import { LogsApi } from './logs.api.js';
import { NoValidEntriesError } from './no-valid-entries.error.js';
import { ReadBodyPipe } from './read-body.pipe.js';
import { RejectionLogger } from './rejection.logger.js';

/** The answer of a POST /logs that stored its valid entries. */
export interface IngestResult {
  accepted: number;
  rejected: RejectedEntry[];
}

/**
 * `POST /logs` (SPEC §4): the second transport of the one ingest path. The guard resolves the
 * key, ReadBodyPipe streams the body in within HTTP_MAX_BODY, CheckBodyPipe runs the contract's
 * checker, and IngestService stores exactly as for a WebSocket frame; 200 only once stored.
 * Any other status means nothing of the body was stored (a shipper resends it whole).
 */
@Controller('logs')
@UseGuards(HttpApiKeyGuard)
export class LogsController {
  constructor(
    private readonly ingest: IngestService,
    private readonly counters: IngestCounters,
    private readonly rejections: RejectionLogger,
    private readonly limiter: RateLimiter,
  ) {}

  @Post()
  @HttpCode(200)
  @LogsApi()
  async post(
    @Req() req: AuthenticatedRequest,
    @IngestRequest(ReadBodyPipe, CheckBodyPipe) body: CheckedEntries,
  ): Promise<IngestResult> {
    const { entries, rejected } = body;
    const total = entries.length + rejected.length;
    this.counters.checked(total, rejected.length);
    if (rejected.length > 0) {
      this.rejections.note(req.principal, rejected.length, total, 'invalid entries');
    }
    if (entries.length === 0) throw new NoValidEntriesError(rejected);
    // SPEC §3 fairness, shared with the WebSocket: the body is taken whole or not at all.
    const wait = this.limiter.take(req.principal.name, entries.length);
    if (wait > 0) throw new RateLimitedError(wait);
    try {
      await this.ingest.store(entries, req.principal);
    } catch (error) {
      if (error instanceof StorageUnavailableError) this.counters.unstored(entries.length);
      throw error;
    }
    return { accepted: entries.length, rejected };
  }
}
