import { UseFilters, UseGuards } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import { ApiKeyGuard } from '../auth/api-key.guard.js';
import { RequireScope } from '../auth/require-scope.decorator.js';
import type { CheckedEntries } from '../contract/check-entries.util.js';
import { LogBatchPipe, type CheckedBatch } from '../contract/log-batch.pipe.js';
import type { LogEntryDto } from '../contract/log-entry.dto.js';
import { LogRunPipe } from '../contract/log-run.pipe.js';
import { IngestService } from '../ingest/ingest.service.js';
import type { ProducerStream } from '../producer/producer-stream.js';
import { ProducerStreams } from '../producer/producer-streams.service.js';
import { RateLimitedError } from '../rate-limit/rate-limited.error.js';
import { RateLimiter } from '../rate-limit/rate-limiter.service.js';
import type { TailFilter } from '../tail/tail-filter.dto.js';
import { TailFilterPipe } from '../tail/tail-filter.pipe.js';
import { TailService } from '../tail/tail.service.js';
import { PendingReply } from './pending-reply.js';
import type { IngestSocket } from './ws-connection.js';
import { WsExceptionFilter } from './ws-exception.filter.js';
import {
  ACK_ONE,
  batchAck,
  errorFrame,
  errorFrameOf,
  ReplyWithEffect,
  type EncodedReply,
} from './wire.js';

const UNSUBSCRIBED = '{"event":"unsubscribed","data":{}}';

/**
 * The hot path of SPEC §3, top to bottom: a frame's body is validated by its pipe, checked
 * against its key's rate, enriched and stored by IngestService (grouped with every other frame of
 * the same event-loop turn), and the ack is sent only once that write has returned (PendingReply).
 * IngestWsAdapter serves this gateway on WS_PATH and answers each connection's frames in arrival
 * order. Reader keys may also tail what is stored (TailService).
 */
@WebSocketGateway()
@UseGuards(ApiKeyGuard)
@UseFilters(WsExceptionFilter)
export class LogsGateway {
  constructor(
    private readonly ingest: IngestService,
    private readonly limiter: RateLimiter,
    private readonly tail: TailService,
    private readonly producers: ProducerStreams,
  ) {}

  /**
   * `log` frames arrive as runs: the entries of consecutive `log` frames that one socket read
   * brought (often one, often dozens), checked each on its own by LogRunPipe. Each frame gets
   * its own reply: the ack once stored, the 400 of its entry, or a 429 over the rate.
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
    let entries = run.entries;
    if (this.limiter.enabled) entries = this.limitRun(client.principal.name, run, replies);
    if (entries.length === 0) return replies;
    return new PendingReply(this.ingest.store(entries, client.principal), replies);
  }

  @SubscribeMessage('batch')
  batch(
    @ConnectedSocket() client: IngestSocket,
    @MessageBody(LogBatchPipe) batch: CheckedBatch,
  ): PendingReply | string {
    const producer = client.connection.producer;
    if (producer) return this.producerBatch(client, producer, batch);
    const ack = batchAck(batch.seq, batch.entries.length, batch.rejected);
    if (batch.entries.length === 0) return ack;
    const wait = this.limiter.take(client.principal.name, batch.entries.length);
    if (wait > 0) throw new RateLimitedError(wait);
    return new PendingReply(this.ingest.store(batch.entries, client.principal), ack);
  }

  /**
   * SPEC §8: a batch of a producer stream is stored once. Its seq is recorded after its entries
   * are stored and before its ack leaves, so an acked batch is never stored again.
   */
  private producerBatch(
    client: IngestSocket,
    producer: ProducerStream,
    batch: CheckedBatch,
  ): PendingReply | string {
    const seq = batch.seq!;
    if (producer.admit(batch.seq) === 'duplicate') return duplicateAck(seq);
    const wait = this.limiter.take(client.principal.name, batch.entries.length);
    if (wait > 0) {
      producer.release(seq);
      throw new RateLimitedError(wait);
    }
    const ack = batchAck(seq, batch.entries.length, batch.rejected);
    const stored =
      batch.entries.length === 0
        ? Promise.resolve()
        : this.ingest.store(batch.entries, client.principal);
    const recorded = stored.then(
      () => this.producers.record(producer, seq),
      (error: unknown) => {
        producer.broken = true;
        throw error;
      },
    );
    return new PendingReply(recorded, ack);
  }

  /**
   * Starts (or replaces) this socket's tail once `subscribed` has left, so it comes first, and
   * sends it only once this instance receives every group stored from then on (TailService.listen).
   */
  @SubscribeMessage('subscribe')
  @RequireScope('read')
  subscribe(
    @ConnectedSocket() client: IngestSocket,
    @MessageBody(TailFilterPipe) filter: TailFilter,
  ): PendingReply {
    const reply = JSON.stringify({ event: 'subscribed', data: { filter } });
    const start = new ReplyWithEffect(reply, () => this.tail.subscribe(client.connection, filter));
    return new PendingReply(this.tail.listen(), start);
  }

  /** Like subscribe, takes effect as its reply leaves: both act in frame order. */
  @SubscribeMessage('unsubscribe')
  @RequireScope('read')
  unsubscribe(@ConnectedSocket() client: IngestSocket): ReplyWithEffect {
    return new ReplyWithEffect(UNSUBSCRIBED, () => this.tail.unsubscribe(client.connection));
  }

  /**
   * The run's valid frames in order take one token each while there are tokens; the rest get
   * 429 in their slots (SPEC §3: a frame over the rate is not stored). Returns what may be stored.
   */
  private limitRun(name: string, run: CheckedEntries, replies: EncodedReply[]): LogEntryDto[] {
    const allowed = this.limiter.takeUpTo(name, run.entries.length);
    if (allowed === run.entries.length) return run.entries;
    const limited = errorFrameOf(new RateLimitedError(this.limiter.retryAfter(name)))!;
    for (let i = 0, r = 0, valid = 0; i < replies.length; i++) {
      if (r < run.rejected.length && run.rejected[r].index === i) r++;
      else if (valid++ >= allowed) replies[i] = limited;
    }
    return run.entries.slice(0, allowed);
  }
}

function duplicateAck(seq: number): string {
  return `{"event":"ack","data":{"seq":${seq},"accepted":0,"duplicate":true}}`;
}
