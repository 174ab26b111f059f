import type { Redis } from 'ioredis';
import type { ProducerStateStore } from './producer-state.store.js';

/** SET only upward, in one atomic step, and refresh the TTL either way. */
const RECORD_LUA = `
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[1]) > current then current = tonumber(ARGV[1]) end
redis.call('SET', KEYS[1], current, 'EX', ARGV[2])
return current
`;

/** Producer state in Redis: one key per stream, `${prefix}${stream}`, expiring PRODUCER_TTL_S after its last use. */
export class RedisProducerStateStore implements ProducerStateStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly ttlS: number,
  ) {}

  async lastSeq(stream: string): Promise<number> {
    const key = this.prefix + stream;
    const [[, value]] = (await this.redis.multi().get(key).expire(key, this.ttlS).exec()) ?? [
      [null, null],
    ];
    return Number(value ?? 0) || 0;
  }

  async record(stream: string, seq: number): Promise<void> {
    await this.redis.eval(RECORD_LUA, 1, this.prefix + stream, seq, this.ttlS);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
