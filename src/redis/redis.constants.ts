import type { Redis } from 'ioredis';

/** The shared ioredis client, or null when REDIS_URL is unset (SPEC §6: no Redis at all). */
export const REDIS_CLIENT = Symbol('REDIS_CLIENT');

/**
 * Opens another client on REDIS_URL (a subscriber, a store with a connection of its own), named
 * for its log lines; null when REDIS_URL is unset. The only way the application reaches ioredis,
 * which is loaded only when a Redis is configured (RedisModule).
 */
export const REDIS_CONNECTOR = Symbol('REDIS_CONNECTOR');
export type RedisConnector = (name: string) => Redis;
