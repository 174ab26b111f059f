import { readdir } from 'node:fs/promises';
import { Gauge, type Registry } from 'prom-client';

/**
 * `process_open_fds` as prom-client's default has it (same name and help, Linux only), without
 * its cost: the default's readdirSync of /proc/self/fd held the event loop ~10 ms a scrape with
 * 10,000 sockets open (82% of a scrape's CPU, measured with --cpu-prof), time in which no
 * WebSocket frame was read or acked. Here the walk runs on libuv's thread pool, started by each
 * scrape, and a scrape reports the count the previous walk found (only the first one waits for
 * its own): at most one scrape interval old, and the scrape does not wait for the kernel.
 */
export function registerOpenFdsGauge(registry: Registry): void {
  if (process.platform !== 'linux') return;
  let last: number | undefined;
  let walking: Promise<void> | undefined;
  const walk = (): Promise<void> =>
    (walking ??= readdir('/proc/self/fd')
      // Minus the descriptor readdir itself held open.
      .then((names) => void (last = names.length - 1))
      // /proc unreadable (a sandbox): no sample, as prom-client's default does.
      .catch(() => undefined)
      .finally(() => (walking = undefined)));
  new Gauge({
    name: 'process_open_fds',
    help: 'Number of open file descriptors.',
    registers: [registry],
    async collect() {
      const current = walk();
      if (last === undefined) await current;
      if (last !== undefined) this.set(last);
    },
  });
}
