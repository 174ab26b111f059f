/** The shared ioredis client, or null when REDIS_URL is unset (SPEC §6: no Redis at all). */
export const REDIS_CLIENT = Symbol('REDIS_CLIENT');
