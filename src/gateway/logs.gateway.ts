import { UseFilters, UseGuards } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import { ApiKeyGuard } from '../auth/api-key.guard.js';
import { RequireScope } from '../auth/require-scope.decorator.js';
import { DomainError } from '../common/domain.error.js';
import type { CheckedEntries } from '../contract/check-entries.util.js';
import { LogBatchPipe, type CheckedBatch } from '../contract/log-batch.pipe.js';
import { LogRunPipe } from '../contract/log-run.pipe.js';
import { IngestService } from '../ingest/ingest.service.js';
import { WsExceptionFilter } from './ws-exception.filter.js';
import { PendingReply } from './pending-reply.js';
import type { IngestSocket } from './ws-connection.js';
import { ACK_ONE, batchAck, errorFrame, type EncodedReply } from './wire.js';

/**
 * The hot path of SPEC §3, top to bottom: a frame's body is validated by its pipe, enriched and
 * stored by IngestService (grouped with every other frame of the same event-loop turn), and the
 * ack is sent only once that write has returned (PendingReply). IngestWsAdapter serves this
 * gateway on WS_PATH and answers each connection's frames in arrival order.
 */
@WebSocketGateway()
@UseGuards(ApiKeyGuard)
@UseFilters(WsExceptionFilter)
export class LogsGateway {
  constructor(private readonly ingest: IngestService) {}

  /**
   * `log` frames arrive as runs: the entries of consecutive `log` frames that one socket read
   * brought (often one, often dozens), checked each on its own by LogRunPipe. Each frame gets
   * its own reply: the ack once stored, or the 400 of its entry.
   */
  @SubscribeMessage('log')
  log(
    @ConnectedSocket() client: IngestSocket,
    @MessageBody(LogRunPipe) run: CheckedEntries,
  ): PendingReply | EncodedReply[] {
    const replies = new Array<EncodedReply>(run.entries.length + run.rejected.length).fill(ACK_ONE);
    for (const { index, errors } of run.rejected) {
      replies[index] = errorFrame(400, 'invalid log entry', errors);
    }
    if (run.entries.length === 0) return replies;
    return new PendingReply(this.ingest.store(run.entries, client.principal), replies);
  }

  @SubscribeMessage('batch')
  batch(
    @ConnectedSocket() client: IngestSocket,
    @MessageBody(LogBatchPipe) batch: CheckedBatch,
  ): PendingReply | string {
    const ack = batchAck(batch.seq, batch.entries.length, batch.rejected);
    if (batch.entries.length === 0) return ack;
    return new PendingReply(this.ingest.store(batch.entries, client.principal), ack);
  }

  @SubscribeMessage('subscribe')
  @RequireScope('read')
  subscribe(): never {
    throw new DomainError(501, 'live tail is not available on this version yet');
  }

  @SubscribeMessage('unsubscribe')
  @RequireScope('read')
  unsubscribe(): never {
    throw new DomainError(501, 'live tail is not available on this version yet');
  }
}
