import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import { redisReady } from './redis-ready.util.js';

/** The part of an ioredis client redisReady reads: `status` and the 'ready' event. */
class FakeClient extends EventEmitter {
  status = 'connecting';
  becomeReady() {
    this.status = 'ready';
    this.emit('ready');
  }
}

const asRedis = (client: FakeClient) => client as unknown as Redis;

describe('redisReady', () => {
  it('answers true at once for a ready client', async () => {
    const client = new FakeClient();
    client.status = 'ready';
    await expect(redisReady(asRedis(client), 10_000)).resolves.toBe(true);
  });

  it('answers true when the client becomes ready, and stops listening', async () => {
    const client = new FakeClient();
    const ready = redisReady(asRedis(client), 10_000);
    setTimeout(() => client.becomeReady(), 5);
    await expect(ready).resolves.toBe(true);
    expect(client.listenerCount('ready')).toBe(0);
  });

  it('answers false after the timeout for a client that never connects', async () => {
    const client = new FakeClient();
    await expect(redisReady(asRedis(client), 20)).resolves.toBe(false);
    expect(client.listenerCount('ready')).toBe(0);
  });
});
