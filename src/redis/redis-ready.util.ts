import type { Redis } from 'ioredis';

/**
 * Resolves true once `client` is ready (connected, and past ioredis' ready check), or false after
 * `timeoutMs`, whichever comes first; never rejects, since the client reconnects by itself.
 */
export function redisReady(client: Redis, timeoutMs: number): Promise<boolean> {
  if (client.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ready: boolean) => {
      clearTimeout(timer);
      client.off('ready', onReady);
      resolve(ready);
    };
    const onReady = () => done(true);
    const timer = setTimeout(() => done(false), timeoutMs);
    client.on('ready', onReady);
  });
}
