import { fullJitterDelay } from './backoff.util.js';

describe(fullJitterDelay.name, () => {
  it('draws between 0 and min·2^failures', () => {
    expect(fullJitterDelay(0, 100, 10_000, () => 0)).toBe(0);
    expect(fullJitterDelay(0, 100, 10_000, () => 0.999999)).toBe(99);
    expect(fullJitterDelay(3, 100, 10_000, () => 0.5)).toBe(400);
  });

  it('caps the ceiling at maxDelayMs, however many failures', () => {
    expect(fullJitterDelay(10, 100, 10_000, () => 0.999999)).toBe(9999);
    expect(fullJitterDelay(5000, 100, 10_000, () => 0.5)).toBe(5000);
  });
});
