import { parseLevelWeights, RequestChains } from './request-chains.generator.js';

/** A deterministic stand-in for Math.random: cycles through `values`. */
function cycle(...values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length];
}

/** mulberry32: a small seeded PRNG, so that a statistical check is the same on every run. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe(parseLevelWeights.name, () => {
  it('reads level:weight pairs, missing levels weigh 0', () => {
    expect(parseLevelWeights('info:70,warning:20,error:10')).toEqual({
      info: 70,
      warning: 20,
      error: 10,
    });
    expect(parseLevelWeights('error:1')).toEqual({ info: 0, warning: 0, error: 1 });
  });

  it.each(['debug:5', 'info:x', 'info:-1', 'info:0'])('refuses %s', (text) => {
    expect(() => parseLevelWeights(text)).toThrow(/level-weights/);
  });
});

describe(RequestChains.name, () => {
  it('gives a chain one correlationId across systems and modules, then starts a new one', () => {
    const chains = new RequestChains('shop', { info: 1, warning: 0, error: 0 }, cycle(0));

    const entries = Array.from({ length: 6 }, () => chains.next());

    // cycle(0) picks the first chain (5 steps), all info.
    const first = entries.slice(0, 5);
    expect(new Set(first.map((e) => e.correlationId)).size).toBe(1);
    expect(new Set(first.map((e) => e.system)).size).toBeGreaterThan(2);
    expect(new Set(first.map((e) => e.module)).size).toBe(5);
    expect(entries[5].correlationId).not.toBe(entries[0].correlationId);
    expect(entries.every((e) => e.project === 'shop' && e.level === 'info')).toBe(true);
  });

  it('ends a chain at an error, which carries type, code and message', () => {
    const chains = new RequestChains('shop', { info: 0, warning: 0, error: 1 }, cycle(0));

    const [failed, next] = [chains.next(), chains.next()];

    expect(failed).toMatchObject({ level: 'error', errorType: 'validation', errorCode: 422 });
    expect(failed.errorMessage).toMatch(/email/);
    expect(next.correlationId).not.toBe(failed.correlationId);
  });

  it('draws levels by the weights', () => {
    const chains = new RequestChains('shop', { info: 70, warning: 20, error: 10 }, seeded(42));

    const levels = Array.from({ length: 10_000 }, () => chains.next().level);

    // A fixed seed makes this exact run repeatable; the bounds are wide around 70/20/10 %.
    const share = (l: string) => levels.filter((x) => x === l).length / levels.length;
    expect(share('info')).toBeGreaterThan(0.65);
    expect(share('info')).toBeLessThan(0.75);
    expect(share('warning')).toBeGreaterThan(0.16);
    expect(share('warning')).toBeLessThan(0.24);
    expect(share('error')).toBeGreaterThan(0.07);
    expect(share('error')).toBeLessThan(0.13);
  });
});
