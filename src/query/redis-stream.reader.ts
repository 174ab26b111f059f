import type { Redis } from 'ioredis';
import { DomainError } from '../common/domain.error.js';
import { matchLine } from './entry-filter.util.js';
import type { LogPage, LogQuery, LogReader } from './log-reader.interface.js';
import { decodeRedisCursor, encodeRedisCursor } from './redis-cursor.util.js';

/**
 * Stream entries one request may scan: the bound of GET /logs on `redis` storage. Each is one
 * JSON.parse (~1-2 µs for a typical entry) plus its share of the XREVRANGE reply, so a request
 * costs at most ~50 ms of one core and ~10 MB of replies; a page cut short carries `next`.
 */
export const MAX_SCAN_ENTRIES = 20_000;
/** Entries per XREVRANGE: big enough to amortize the round trip, small enough to stay bounded. */
export const PAGE_ENTRIES = 500;

type StreamReply = [id: string, fields: string[]][];

/**
 * GET /logs on `redis` storage: `XREVRANGE` from the newest entry (or from before the cursor) in
 * pages of PAGE_ENTRIES, each entry's `entry` field parsed and filtered in process, until `limit`
 * matches or MAX_SCAN_ENTRIES were scanned. Newest first by arrival (stream id). The stream keeps
 * at most REDIS_STREAM_MAXLEN entries, so older ones are simply not there. Stream ids never move,
 * so a cursor (the last id scanned, exclusive) stays valid while new entries arrive.
 */
export class RedisStreamReader implements LogReader {
  constructor(
    private readonly redis: Redis,
    private readonly streamKey: string,
    private readonly maxScan = MAX_SCAN_ENTRIES,
  ) {}

  async read(query: LogQuery): Promise<LogPage> {
    let end = query.cursor === undefined ? '+' : `(${decodeRedisCursor(query.cursor)}`;
    const entries: Record<string, unknown>[] = [];
    let scanned = 0;
    while (scanned < this.maxScan) {
      const count = Math.min(PAGE_ENTRIES, this.maxScan - scanned);
      const reply = await this.range(end, count);
      for (const [id, fields] of reply) {
        scanned++;
        const entry = matchLine(fieldOf(fields, 'entry') ?? '', query);
        if (entry !== null) entries.push(entry);
        if (entries.length >= query.limit || scanned >= this.maxScan) {
          return { entries, next: encodeRedisCursor(id) };
        }
      }
      if (reply.length < count) return { entries, next: null };
      end = `(${reply[reply.length - 1][0]}`;
    }
    return { entries, next: null };
  }

  private range(end: string, count: number): Promise<StreamReply> {
    return (
      this.redis.xrevrange(this.streamKey, end, '-', 'COUNT', count) as Promise<StreamReply>
    ).catch((error: Error) => {
      throw new DomainError(503, `redis cannot answer GET /logs now: ${error.message}`);
    });
  }
}

function fieldOf(fields: string[], name: string): string | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1];
  return undefined;
}
