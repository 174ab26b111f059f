import { describe, expect, it } from '@jest/globals';
import { backoffDelay } from './backoff.util.js';

const options = { baseMs: 500, maxMs: 10_000 };

describe(backoffDelay.name, () => {
  it('doubles its range per attempt, from half the ceiling to the ceiling', () => {
    expect([0, 1, 2, 3].map((a) => backoffDelay(a, options, () => 0))).toEqual([
      250, 500, 1000, 2000,
    ]);
    expect([0, 1, 2, 3].map((a) => backoffDelay(a, options, () => 1))).toEqual([
      500, 1000, 2000, 4000,
    ]);
  });

  it('never exceeds maxMs, however many attempts failed', () => {
    expect(backoffDelay(10, options, () => 1)).toBe(10_000);
    expect(backoffDelay(1e9, options, () => 0.999)).toBeLessThanOrEqual(10_000);
    expect(backoffDelay(1e9, options, () => 0)).toBe(5_000);
  });
});
