import { validateEnv } from '../config/app.config.js';
import { RateLimiter } from './rate-limiter.service.js';

const limiter = (rate: string, burst?: string) =>
  new RateLimiter(
    validateEnv({ RATE_LIMIT_ENTRIES_PER_S: rate, ...(burst ? { RATE_LIMIT_BURST: burst } : {}) }),
  );

describe(RateLimiter.name, () => {
  it('is off by default and then takes everything', () => {
    const off = limiter('0');
    expect(off.enabled).toBe(false);
    expect(off.take('a', 1_000_000, 0)).toBe(0);
    expect(off.takeUpTo('a', 1_000_000, 0)).toBe(1_000_000);
  });

  it('lets a burst through, then refuses until the bucket refills at the rate', () => {
    // Arrange: 10/s, burst 20 (the default twice the rate).
    const rl = limiter('10');

    // Act / Assert
    expect(rl.take('a', 20, 0)).toBe(0);
    expect(rl.take('a', 1, 0)).toBe(100);
    expect(rl.take('a', 1, 50)).toBe(50);
    expect(rl.take('a', 1, 100)).toBe(0);
    expect(rl.limited).toBe(2);
  });

  it('takes a batch whole or not at all', () => {
    const rl = limiter('10', '10');

    expect(rl.take('a', 8, 0)).toBe(0);
    expect(rl.take('a', 5, 0)).toBe(300);
    expect(rl.take('a', 2, 0)).toBe(0);
  });

  it('lets a batch larger than the burst through from a full bucket, leaving it in debt', () => {
    const rl = limiter('10', '10');

    expect(rl.take('a', 50, 0)).toBe(0);
    expect(rl.take('a', 1, 1000)).toBeGreaterThan(0);
    expect(rl.take('a', 1, 5000)).toBe(0);
  });

  it('takes single entries up to what is left, and keeps keys apart', () => {
    const rl = limiter('10', '5');

    expect(rl.takeUpTo('a', 8, 0)).toBe(5);
    expect(rl.takeUpTo('b', 3, 0)).toBe(3);
    expect(rl.retryAfter('a', 0)).toBe(100);
    expect(rl.limited).toBe(3);
  });
});
