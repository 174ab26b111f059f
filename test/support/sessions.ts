import { createHash, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';

/** A Session as the company's auth backend writes it to Redis (SPEC §2). */
export interface Session {
  user: string;
  timestamp: string;
  ipaddress: string;
}

export const ALICE: Session = {
  user: 'alice',
  timestamp: '2026-01-21T10:30:00Z',
  ipaddress: '10.1.2.3',
};

/** A session key no other test shares, long and random so that a log search for it means something. */
export function newSessionKey(): string {
  return `sess-${randomUUID()}`;
}

/** What SPEC §2 allows in logs instead of a key: the first 8 hex chars of its sha256. */
export function keyHashPrefix(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

/** Writes `value` (JSON-encoded unless a string) at `${prefix}${key}`. */
export async function putSession(
  redis: Redis,
  key: string,
  value: unknown,
  prefix = 'session:',
): Promise<void> {
  await redis.set(prefix + key, typeof value === 'string' ? value : JSON.stringify(value));
}

/**
 * Calls `probe` until `done` accepts its result or `timeoutMs` passes, and returns the last
 * result either way: the caller asserts on it, so a timeout fails with the value last seen.
 */
export async function pollUntil<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs: number,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() >= deadline) return value;
    await sleep(intervalMs);
  }
}
