import type { Redis } from 'ioredis';
import type pg from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';

/** A stream entry of the `redis` sink: `entry` = the stored JSON, `id` = its entry id. */
export interface StreamEntry {
  entry: string;
  id: string;
}

/** Every entry of stream `key`, oldest first (XRANGE in pages, so a long stream is fine). */
export async function readStream(redis: Redis, key: string): Promise<StreamEntry[]> {
  const out: StreamEntry[] = [];
  let start = '-';
  for (;;) {
    const rows = await redis.xrange(key, start, '+', 'COUNT', 5000);
    for (const [, fields] of rows) {
      const map = new Map<string, string>();
      for (let i = 0; i < fields.length; i += 2) map.set(fields[i], fields[i + 1]);
      out.push({ entry: map.get('entry')!, id: map.get('id')! });
    }
    if (rows.length < 5000) return out;
    start = `(${rows.at(-1)![0]}`;
  }
}

/** correlationIds of the stream's entries, oldest first. */
export async function streamCorrelationIds(redis: Redis, key = 'logs'): Promise<string[]> {
  return (await readStream(redis, key)).map(
    (e) => (JSON.parse(e.entry) as { correlationId: string }).correlationId,
  );
}

/** correlationIds of `log_entries` in arrival (id) order; [] while the table does not exist. */
export async function tableCorrelationIds(db: pg.Client): Promise<string[]> {
  const exists = await db.query("SELECT to_regclass('log_entries') IS NOT NULL AS yes");
  if (!exists.rows[0].yes) return [];
  const { rows } = await db.query(
    "SELECT entry->>'correlationId' AS c FROM log_entries ORDER BY id",
  );
  return rows.map((r: { c: string }) => r.c);
}

/** Polls `count()` until it reaches `n` (a spool replays in the background); returns the last. */
export async function waitForCount(count: () => Promise<number>, n: number, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  let last = await count();
  while (last < n && Date.now() < deadline) {
    await sleep(100);
    last = await count().catch(() => last);
  }
  return last;
}
