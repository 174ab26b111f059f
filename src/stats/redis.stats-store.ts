import { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { DomainError } from '../common/domain.error.js';
import { KeyAdmission } from './key-admission.js';
import { MinuteBuckets } from './minute-buckets.js';
import type { CountVisitor, StatsStore } from './stats-store.interface.js';
import { FLUSH_INTERVAL_MS, PENDING_LIMITS, RETENTION_S } from './stats.constants.js';

/** `${REDIS_STREAM_KEY}:stats:<epoch minute>`: one hash a minute, field = tally key, value = count. */
export function statsHashKey(prefix: string, minute: number): string {
  return `${prefix}:stats:${minute}`;
}

/**
 * Stats shared by every instance on one Redis. Counts gather locally (bounded, PENDING_LIMITS)
 * and are written every FLUSH_INTERVAL_MS, and at close, as one MULTI: HINCRBY per (minute, key)
 * and EXPIRE RETENTION_S per minute, all or nothing, so a failed flush is merged back and retried
 * without counting twice. A read visits the minute hashes (one pipeline of HGETALL) plus the counts
 * not yet sent; a flush already sent is in the reply, since both go over this store's own
 * connection, in order.
 */
export class RedisStatsStore implements StatsStore {
  private readonly logger = new Logger(RedisStatsStore.name);
  private pending = new MinuteBuckets(PENDING_LIMITS);
  private readonly admission = new KeyAdmission(PENDING_LIMITS.keysPerMinute);
  private flushing: Promise<void> | undefined;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    flushIntervalMs = FLUSH_INTERVAL_MS,
  ) {
    this.timer = setInterval(() => void this.flush(), flushIntervalMs);
    this.timer.unref();
  }

  record(minute: number, key: string, count: number): void {
    this.pending.add(minute, this.admission.admit(minute, key), count);
  }

  async read(fromMinute: number, toMinute: number, visit: CountVisitor): Promise<void> {
    // Pending counts are visited now, in the same turn as the pipeline is queued: a flush that
    // leaves later is not in the reply, one that left before is, and pending no longer holds it.
    this.pending.visit(fromMinute, toMinute, visit);
    const pipeline = this.redis.pipeline();
    for (let m = fromMinute; m < toMinute; m++) pipeline.hgetall(statsHashKey(this.prefix, m));
    const replies = await pipeline.exec().catch((error: Error) => [[error, null]] as const);
    const hashes = (replies ?? []).map(([error, hash]) => {
      if (error) throw new DomainError(503, `Redis cannot answer GET /stats now: ${error.message}`);
      return hash as Record<string, string>;
    });
    hashes.forEach((hash, i) => {
      for (const [key, count] of Object.entries(hash)) visit(fromMinute + i, key, Number(count));
    });
  }

  /** Writes the pending counts; at most one flush at a time. Never rejects. */
  flush(): Promise<void> {
    this.flushing ??= this.write().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flushing;
    await this.flush();
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private async write(): Promise<void> {
    if (this.pending.isEmpty) return;
    const batch = this.pending.drain();
    const multi = this.redis.multi();
    for (const [minute, bucket] of batch.minutesList()) {
      const hash = statsHashKey(this.prefix, minute);
      for (const [key, count] of bucket) multi.hincrby(hash, key, count);
      multi.expire(hash, RETENTION_S);
    }
    try {
      const replies = await multi.exec();
      const failed = replies?.find(([error]) => error !== null)?.[0];
      if (replies === null || failed) throw failed ?? new Error('MULTI discarded');
    } catch (error) {
      batch.merge(this.pending);
      this.pending = batch;
      this.logger.warn(
        `stats not written to Redis, kept to retry (${batch.dropped} counts older than ` +
          `${PENDING_LIMITS.minutes} min dropped): ${(error as Error).message}`,
      );
    }
  }
}
