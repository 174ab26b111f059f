import { jest } from '@jest/globals';
import type { Redis } from 'ioredis';
import { createRedisClient } from '../../src/redis/create-redis-client.js';
import { RedisStreamSink } from '../../src/storage/sinks/redis-stream.sink.js';
import { groupsOf, storedLine } from '../support/groups.js';
import { startRedis, stopAllRedis, type RedisServer } from '../support/redis-server.js';

/** RedisStreamSink against a real, throwaway redis-server (SPEC §5 `redis`). */

jest.setTimeout(30_000);

interface StreamEntry {
  entry: string;
  id: string;
}

async function readStream(admin: Redis, key: string): Promise<StreamEntry[]> {
  const rows = await admin.xrange(key, '-', '+');
  return rows.map(([, fields]) => {
    const map = new Map<string, string>();
    for (let i = 0; i < fields.length; i += 2) map.set(fields[i], fields[i + 1]);
    return { entry: map.get('entry')!, id: map.get('id')! };
  });
}

describe(RedisStreamSink.name, () => {
  let redis: RedisServer;
  let admin: Redis;
  let stream = 0;
  const sinks: RedisStreamSink[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    admin = await redis.client();
  });

  afterAll(async () => {
    await Promise.all(sinks.map((s) => s.close()));
    await stopAllRedis();
  });

  async function newSink(maxLen = 1_000_000) {
    const key = `logs-${++stream}`;
    const client = createRedisClient(redis.url, 'test-stream');
    await client.connect();
    const sink = new RedisStreamSink(client, { streamKey: key, maxLen, markTtlS: 3600 });
    sinks.push(sink);
    return { key, sink };
  }

  it('adds each entry with field entry = the stored JSON and field id = its entry id', async () => {
    // Arrange
    const { key, sink } = await newSink();
    const lines = [storedLine(), storedLine({ level: 'info' })];

    // Act
    await sink.write([{ writer: 'wA', seq: 3, day: '2026-01-21', lines }]);

    // Assert
    expect(await readStream(admin, key)).toEqual([
      { entry: lines[0], id: 'wA.3.0' },
      { entry: lines[1], id: 'wA.3.1' },
    ]);
  });

  it('sends a whole write as one command, in order', async () => {
    // Arrange
    const { key, sink } = await newSink();
    const groups = groupsOf(3, 200);
    await admin.config('RESETSTAT');

    // Act
    await sink.write(groups);

    // Assert
    const stats = await admin.info('commandstats');
    expect(stats).toMatch(/^cmdstat_(evalsha|eval):calls=1,/m);
    const stored = await readStream(admin, key);
    expect(stored.map((s) => s.entry)).toEqual(groups.flatMap((g) => g.lines));
  });

  it('skips groups of a writer that are already stored, also inside an overlapping replay', async () => {
    // Arrange
    const { key, sink } = await newSink();
    const groups = groupsOf(4, 50, 'wR');

    // Act
    await sink.write(groups.slice(0, 2));
    await sink.write(groups.slice(0, 3)); // replay after an abandoned write
    await sink.write(groups); // and once more, after a crash during replay

    // Assert
    const stored = await readStream(admin, key);
    expect(stored).toHaveLength(200);
    expect(new Set(stored.map((s) => s.id)).size).toBe(200);
    expect(stored.map((s) => s.entry)).toEqual(groups.flatMap((g) => g.lines));
  });

  it('keeps writers apart: interleaved groups of two instances are all stored', async () => {
    // Arrange
    const { key, sink } = await newSink();
    const a = groupsOf(3, 10, 'wX');
    const b = groupsOf(3, 10, 'wY');

    // Act: one write may even hold two writers (a spool of a crashed process, then new groups)
    await sink.write([a[0], b[0]]);
    await sink.write([a[1]]);
    await sink.write([b[1], b[2], a[2]]);
    await sink.write([a[1], b[2]]); // replays: skipped

    // Assert
    const stored = await readStream(admin, key);
    expect(stored).toHaveLength(60);
    const ids = stored.map((s) => s.id);
    expect(ids.filter((id) => id.startsWith('wX.')).map((id) => id.split('.')[1])).toEqual([
      ...Array(10).fill('1'),
      ...Array(10).fill('2'),
      ...Array(10).fill('3'),
    ]);
    expect(new Set(ids).size).toBe(60);
  });

  it('trims the stream to about REDIS_STREAM_MAXLEN', async () => {
    // Arrange
    const { key, sink } = await newSink(1000);

    // Act
    await sink.write(groupsOf(10, 500));

    // Assert
    const length = await admin.xlen(key);
    expect(length).toBeGreaterThanOrEqual(1000);
    expect(length).toBeLessThan(5000);
  });

  it('gives each writer one dedupe mark with a TTL, not one key per entry', async () => {
    // Arrange
    const { key, sink } = await newSink();

    // Act
    await sink.write(groupsOf(5, 20, 'wM'));

    // Assert
    expect(await admin.keys(`${key}:*`)).toEqual([`${key}:writer:wM`]);
    expect(await admin.get(`${key}:writer:wM`)).toBe('5');
    const ttl = await admin.ttl(`${key}:writer:wM`);
    expect(ttl).toBeGreaterThan(3500);
  });
});
