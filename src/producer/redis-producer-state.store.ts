import type { Redis } from 'ioredis';
import { newWriterId } from '../storage/writer-id.util.js';
import type { ProducerStateStore, StreamState } from './producer-state.store.js';

/** A hash {seq, epoch}: created with ARGV[2] as epoch when missing; the TTL refreshed either way. */
const OPEN_LUA = `
local v = redis.call('HMGET', KEYS[1], 'seq', 'epoch')
if not v[2] then
  v = {v[1] or '0', ARGV[2]}
  redis.call('HSET', KEYS[1], 'seq', v[1], 'epoch', v[2])
end
redis.call('EXPIRE', KEYS[1], ARGV[1])
return v
`;

/** Raises seq only upward, in one atomic step, and refreshes the TTL either way. */
const RECORD_LUA = `
local current = tonumber(redis.call('HGET', KEYS[1], 'seq') or '0')
if tonumber(ARGV[1]) > current then redis.call('HSET', KEYS[1], 'seq', ARGV[1]) end
redis.call('EXPIRE', KEYS[1], ARGV[2])
return current
`;

/** Producer state in Redis: one hash per stream, `${prefix}${stream}`, expiring PRODUCER_TTL_S after its last use. */
export class RedisProducerStateStore implements ProducerStateStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly ttlS: number,
  ) {}

  async open(stream: string): Promise<StreamState> {
    const [seq, epoch] = (await this.redis.eval(
      OPEN_LUA,
      1,
      this.prefix + stream,
      this.ttlS,
      newWriterId(),
    )) as [string, string];
    return { lastSeq: Number(seq) || 0, epoch };
  }

  async record(stream: string, seq: number): Promise<void> {
    await this.redis.eval(RECORD_LUA, 1, this.prefix + stream, seq, this.ttlS);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
