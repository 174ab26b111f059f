import { describe, expect, it } from '@jest/globals';
import { TailBuffer } from './tail-buffer.js';

describe(TailBuffer.name, () => {
  it('hands over what arrived, oldest first, once', () => {
    const buffer = new TailBuffer<number>(5);
    [1, 2, 3].forEach((n) => buffer.push(n));

    expect(buffer.take()).toEqual([1, 2, 3]);
    expect(buffer.take()).toEqual([]);
  });

  it('keeps entries while paused and gives the newest cap of them on resume', () => {
    const buffer = new TailBuffer<number>(3);
    buffer.pause();
    [1, 2, 3, 4, 5].forEach((n) => buffer.push(n));

    expect(buffer.take()).toEqual([]);
    expect(buffer.heldCount).toBe(5);
    buffer.resume();
    expect(buffer.take()).toEqual([3, 4, 5]);
  });

  it('never holds more than twice the cap, however much arrives without a frame', () => {
    const buffer = new TailBuffer<number>(100);
    let most = 0;
    for (let n = 0; n < 100_000; n++) {
      buffer.push(n);
      most = Math.max(most, buffer.size);
    }

    expect(most).toBeLessThanOrEqual(200);
    expect(buffer.take()).toEqual(Array.from({ length: 100 }, (_, i) => 99_900 + i));
  });
});
