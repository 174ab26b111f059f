import type { BucketLimits } from './minute-buckets.js';

/** The configured StatsStore. */
export const STATS_STORE = Symbol('STATS_STORE');

export const MINUTE_MS = 60_000;
/** Default window of GET /stats: the last 24 hours (SPEC §4). */
export const DEFAULT_WINDOW_MS = 24 * 60 * MINUTE_MS;
/** Lifetime of a Redis minute hash, and so the longest window that can hold counts. */
export const RETENTION_S = 8 * 24 * 3600;
/** How often an instance writes its counts to Redis. */
export const FLUSH_INTERVAL_MS = 1000;

/**
 * In-process stats: 25 hours of minutes (the default window and the current minute), at most
 * 1000 label combinations a minute and 100,000 counters in all (~20 MB at most).
 */
export const LOCAL_LIMITS: BucketLimits = { keysPerMinute: 1000, keys: 100_000, minutes: 1500 };
/**
 * Counts not yet written to Redis: the same caps a minute, and one hour of minutes while Redis
 * is down; older minutes are dropped (and logged) rather than grow without bound.
 */
export const PENDING_LIMITS: BucketLimits = { keysPerMinute: 1000, keys: 100_000, minutes: 60 };
