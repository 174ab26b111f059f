/**
 * "Full jitter" (AWS architecture blog, Exponential Backoff And Jitter): a uniform draw between 0
 * and the capped exponential, so that producers cut off together do not come back together.
 * `failures` is the number of consecutive failed attempts so far (0 before the first retry).
 */
export function fullJitterDelay(
  failures: number,
  minDelayMs: number,
  maxDelayMs: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(maxDelayMs, minDelayMs * 2 ** Math.min(failures, 52));
  return Math.floor(random() * ceiling);
}
