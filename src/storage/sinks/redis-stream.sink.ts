import type { Redis } from 'ioredis';
import { APPEND_GROUPS_LUA } from './redis-stream.script.js';
import type { EntryGroup } from './entry-group.js';
import type { LogSink } from './log-sink.interface.js';

export interface RedisStreamOptions {
  /** REDIS_STREAM_KEY */
  streamKey: string;
  /** REDIS_STREAM_MAXLEN, applied approximately (`MAXLEN ~`) by every XADD. */
  maxLen: number;
  /** REDIS_STREAM_DEDUPE_TTL_S: lifetime of a writer's mark after its last write. */
  markTtlS: number;
}

/** ioredis flattens the array into the command's arguments (no spread of 100k values). */
type AppendGroups = (stream: string, mark: string, args: (string | number)[]) => Promise<number>;

/**
 * `redis` storage (SPEC §5): each entry one stream entry `XADD ${REDIS_STREAM_KEY} MAXLEN ~ N *
 * entry <json> id <entry id>`, a whole write in one atomic script call (one round trip), which
 * also skips groups already stored (see redis-stream.script.ts). The client is this sink's own:
 * one connection keeps one writer's commands in order, which the dedupe mark relies on.
 */
export class RedisStreamSink implements LogSink {
  readonly kind = 'redis';
  private readonly append: AppendGroups;

  constructor(
    private readonly redis: Redis,
    private readonly options: RedisStreamOptions,
  ) {
    redis.defineCommand('loggerAppendGroups', { numberOfKeys: 2, lua: APPEND_GROUPS_LUA });
    const command = (redis as unknown as Record<string, AppendGroups>).loggerAppendGroups;
    this.append = command.bind(redis);
  }

  async write(groups: readonly EntryGroup[]): Promise<void> {
    // One script call per writer: a replay may follow a crashed process's groups with new ones.
    let from = 0;
    for (let i = 1; i <= groups.length; i++) {
      if (i === groups.length || groups[i].writer !== groups[from].writer) {
        await this.appendRun(from === 0 && i === groups.length ? groups : groups.slice(from, i));
        from = i;
      }
    }
  }

  /** Resolves with the number of entries added (0 when every group was already stored). */
  private appendRun(groups: readonly EntryGroup[]): Promise<number> {
    const writer = groups[0].writer;
    const args: (string | number)[] = [
      this.options.maxLen,
      this.options.markTtlS,
      writer,
      groups.length,
    ];
    for (const group of groups) args.push(group.seq, group.lines.length);
    for (const group of groups) for (const line of group.lines) args.push(line);
    return this.append(this.options.streamKey, this.markKey(writer), args);
  }

  async check(): Promise<void> {
    await this.redis.ping();
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private markKey(writer: string): string {
    return `${this.options.streamKey}:writer:${writer}`;
  }
}
