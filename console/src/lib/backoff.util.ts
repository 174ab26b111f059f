export interface BackoffOptions {
  /** The first delay's ceiling. */
  baseMs: number;
  /** No delay is longer. */
  maxMs: number;
}

/** The console's reconnect delays: from ~0.25-0.5 s up to 5-10 s. */
export const RECONNECT_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 10_000 };

/**
 * Exponential backoff with "equal jitter": the ceiling doubles per failed attempt up to
 * `maxMs`, and the delay is half of it plus a random half, so that many consoles that lost the
 * same service spread their reconnects, yet none retries at once in a tight loop.
 */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.min(Math.max(attempt, 0), 30));
  return ceiling / 2 + (random() * ceiling) / 2;
}
