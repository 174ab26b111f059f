import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { freePort } from './free-port.js';

export interface RedisOptions {
  /** `notify-keyspace-events Egx`: key events for DEL and expiry, as the session watcher wants. */
  notifications?: boolean;
  /** A fixed port; by default a free one is picked (and picked again if it was taken meanwhile). */
  port?: number;
  /**
   * AOF with `appendfsync always` in the server's dir, so that what Redis acknowledged survives
   * `kill()` and comes back with `restart()` (the storage outage specs count stored entries).
   */
  persistent?: boolean;
}

/**
 * A throwaway `redis-server` owned by one spec file: no persistence (`--save ""`, no AOF), bound to
 * 127.0.0.1, its working directory a temp dir. It can be SIGKILLed and brought back on the same
 * port to test an outage. `stop()` (or `stopAllRedis()` in afterAll) ends it for good.
 */
export interface RedisServer {
  readonly url: string;
  readonly port: number;
  /** A new ioredis client for the test's own SET/DEL; `stop()` disconnects it. */
  client(): Promise<Redis>;
  /** Disconnects the test clients, ends the server (SIGTERM, then SIGKILL) and removes its dir. */
  stop(): Promise<void>;
  /** SIGKILL, as a crash would; `restart()` brings it back. No-op if it is not running. */
  kill(): Promise<void>;
  /** Starts the server again on the same port (killing the current one if it runs); empty unless
   * `persistent`, then with everything it had acknowledged. */
  restart(): Promise<void>;
  /** SIGSTOP: the server keeps its connections open but answers nothing, as a hung host would. */
  pause(): void;
  /** SIGCONT after `pause()`. */
  resume(): void;
}

const READY_TIMEOUT_MS = 5000;
const STOP_TIMEOUT_MS = 5000;
const live = new Set<ChildProcess>();
const servers = new Set<RedisServer>();

// A worker that dies without running afterAll must not leave a redis-server behind.
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** Starts a redis-server and resolves once it answers PING. */
export async function startRedis(opts: RedisOptions = {}): Promise<RedisServer> {
  const bin = findRedisServer();
  const dir = await mkdtemp(join(tmpdir(), 'logger-redis-'));
  const launch = (port: number) => launchRedis(bin, port, dir, opts);
  let port = opts.port ?? (await freePort());
  let child: ChildProcess | undefined;
  for (let attempt = 1; !child; attempt++) {
    try {
      child = await launch(port);
    } catch (error) {
      // Another process took the free port between freePort() and the bind: ask again.
      if (opts.port !== undefined || attempt >= 3) {
        await rm(dir, { recursive: true, force: true });
        throw error;
      }
      port = await freePort();
    }
  }
  const clients = new Set<Redis>();
  let current: ChildProcess | undefined = child;
  const server: RedisServer = {
    url: `redis://127.0.0.1:${port}`,
    port,
    async client() {
      const client = new Redis(port, '127.0.0.1', { lazyConnect: true });
      // While the server is down on purpose, ioredis reports each reconnect attempt here.
      client.on('error', () => undefined);
      clients.add(client);
      await client.connect();
      return client;
    },
    async kill() {
      if (current) await terminate(current, 'SIGKILL');
      current = undefined;
    },
    async restart() {
      await server.kill();
      current = await launch(port);
    },
    pause() {
      current?.kill('SIGSTOP');
    },
    resume() {
      current?.kill('SIGCONT');
    },
    async stop() {
      servers.delete(server);
      for (const client of clients) client.disconnect();
      clients.clear();
      current?.kill('SIGCONT');
      if (current) await terminate(current, 'SIGTERM');
      current = undefined;
      await rm(dir, { recursive: true, force: true });
    },
  };
  servers.add(server);
  return server;
}

/** For afterAll: no redis-server outlives its spec file. */
export async function stopAllRedis(): Promise<void> {
  await Promise.all([...servers].map((s) => s.stop()));
}

function findRedisServer(): string {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, 'redis-server');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      continue;
    }
  }
  throw new Error(
    'redis-server is not on PATH: the integration and e2e session specs run a real Redis. ' +
      '`npm test` (scripts/test.sh) installs it with apt-get; or install it yourself ' +
      '(apt-get install redis-server, brew install redis).',
  );
}

async function launchRedis(
  bin: string,
  port: number,
  dir: string,
  opts: RedisOptions,
): Promise<ChildProcess> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', ''];
  if (opts.persistent) args.push('--appendonly', 'yes', '--appendfsync', 'always');
  else args.push('--appendonly', 'no');
  args.push('--dir', dir, '--daemonize', 'no');
  if (opts.notifications) args.push('--notify-keyspace-events', 'Egx');
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  let output = '';
  const keep = (s: string) => (output = (output + s).slice(-8192));
  child.stdout?.setEncoding('utf8').on('data', keep);
  child.stderr?.setEncoding('utf8').on('data', keep);
  let exited = false;
  child.once('exit', () => {
    exited = true;
    live.delete(child);
  });
  child.once('error', (error) => keep(String(error)));
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline && !exited) {
    if (await answersPing(port)) return child;
    await sleep(25);
  }
  await terminate(child, 'SIGKILL');
  throw new Error(
    `redis-server on port ${port} ${exited ? 'exited' : 'did not answer PING'} ` +
      `within ${READY_TIMEOUT_MS} ms:\n${output}`,
  );
}

/** One inline PING over raw TCP, so that waiting for the server needs no client library. */
function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (chunk) => done(chunk.toString('latin1').startsWith('+PONG')));
  });
}

/** Sends `signal` and waits for the exit; escalates to SIGKILL after STOP_TIMEOUT_MS. */
async function terminate(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}
