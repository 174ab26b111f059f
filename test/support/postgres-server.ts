import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { accessSync, chownSync, constants, readdirSync, readFileSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { freePort } from './free-port.js';

/**
 * A throwaway PostgreSQL owned by one spec file, mirroring redis-server.ts: `initdb` into a temp
 * dir (trust auth), `postgres` bound to 127.0.0.1 on a free port, never the machine's own cluster.
 * As root (initdb refuses root) both run as the `postgres` OS user via runuser, the dir chowned
 * to it. fsync is off (the page cache survives a killed server, which is what the outage specs
 * do; they never cut power) but commits stay synchronous, so a committed row survives SIGKILL.
 * Signals go to the whole process tree: PostgreSQL's children call setsid(), so neither a process
 * group nor the postmaster alone would stop (or kill) the backends that serve open connections.
 */
export interface PostgresServer {
  /** `postgres://postgres@127.0.0.1:PORT/postgres` */
  readonly url: string;
  readonly port: number;
  /** A new connected pg client for the test's own queries; `stop()` ends it. */
  client(): Promise<pg.Client>;
  /** SIGKILL to every server process, as a crash would; `restart()` brings it back. */
  kill(): Promise<void>;
  /** Starts the server again on the same port and data (crash recovery after kill). */
  restart(): Promise<void>;
  /** SIGSTOP to every server process: connections stay open, nothing answers. */
  pause(): void;
  resume(): void;
  /** Ends the clients and the server, removes its dir. */
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 5000;
const live = new Set<ChildProcess>();
const servers = new Set<PostgresServer>();

process.once('exit', () => {
  for (const child of live) signalGroup(child, 'SIGKILL');
});

/** initdb + postgres on a free port; resolves once it answers `SELECT 1`. */
export async function startPostgres(): Promise<PostgresServer> {
  const bin = findPostgresBin();
  const dir = await mkdtemp(join(tmpdir(), 'logger-pg-'));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) chownSync(dir, Number(execFileSync('id', ['-u', 'postgres']).toString().trim()), 0);
  const run = (cmd: string, args: string[]) =>
    asRoot
      ? (['runuser', ['-u', 'postgres', '--', cmd, ...args]] as const)
      : ([cmd, args] as const);
  const data = join(dir, 'data');
  const [initCmd, initArgs] = run(join(bin, 'initdb'), [
    ...[
      '-D',
      data,
      '-A',
      'trust',
      '-U',
      'postgres',
      '-E',
      'UTF8',
      '--no-sync',
      '--no-instructions',
    ],
  ]);
  execFileSync(initCmd, initArgs, { stdio: 'pipe' });

  let port = await freePort();
  const launch = async (): Promise<ChildProcess> => {
    clearStaleLock(data);
    const [cmd, args] = run(join(bin, 'postgres'), [
      ...['-D', data, '-p', String(port), '-c', 'listen_addresses=127.0.0.1'],
      // TCP only: no socket file (nor its lock, which a killed server would leave behind).
      ...['-c', 'unix_socket_directories='],
      ...['-c', 'fsync=off', '-c', 'full_page_writes=off', '-c', 'max_connections=60'],
      ...['-c', 'shared_buffers=32MB'],
    ]);
    return launchPostgres(cmd, args, port);
  };
  let child: ChildProcess | undefined;
  for (let attempt = 1; !child; attempt++) {
    try {
      child = await launch();
    } catch (error) {
      if (attempt >= 3) {
        await rm(dir, { recursive: true, force: true });
        throw error;
      }
      port = await freePort();
    }
  }
  const clients = new Set<pg.Client>();
  let current: ChildProcess | undefined = child;
  const server: PostgresServer = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    async client() {
      const client = new pg.Client({ connectionString: server.url });
      client.on('error', () => undefined);
      await client.connect();
      clients.add(client);
      return client;
    },
    async kill() {
      if (current) await terminate(current, 'SIGKILL');
      current = undefined;
    },
    async restart() {
      await server.kill();
      // The killed backends may take a moment to be reaped and let go of the data dir's lock.
      for (let attempt = 1; !current; attempt++) {
        try {
          current = await launch();
        } catch (error) {
          if (attempt >= 3) throw error;
          await sleep(500);
        }
      }
    },
    pause() {
      if (current) signalGroup(current, 'SIGSTOP');
    },
    resume() {
      if (current) signalGroup(current, 'SIGCONT');
    },
    async stop() {
      servers.delete(server);
      await Promise.all([...clients].map((c) => c.end().catch(() => undefined)));
      clients.clear();
      if (current) {
        signalGroup(current, 'SIGCONT');
        await terminate(current, 'SIGINT'); // fast shutdown
      }
      current = undefined;
      await rm(dir, { recursive: true, force: true });
    },
  };
  servers.add(server);
  return server;
}

/** For afterAll: no postgres outlives its spec file. */
export async function stopAllPostgres(): Promise<void> {
  await Promise.all([...servers].map((s) => s.stop()));
}

/** The newest `/usr/lib/postgresql/N/bin`, else the directory of `initdb` on PATH. */
function findPostgresBin(): string {
  const root = '/usr/lib/postgresql';
  try {
    const versions = readdirSync(root)
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    for (const v of versions) {
      const bin = join(root, v, 'bin');
      if (executable(join(bin, 'initdb')) && executable(join(bin, 'postgres'))) return bin;
    }
  } catch {
    // no Debian layout: fall back to PATH below
  }
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (executable(join(dir, 'initdb')) && executable(join(dir, 'postgres'))) return dir;
  }
  throw new Error(
    'PostgreSQL binaries (initdb, postgres) not found: the integration and e2e postgres specs run ' +
      'a real server. `npm test` (scripts/test.sh) installs them with apt-get (postgresql).',
  );
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function launchPostgres(cmd: string, args: readonly string[], port: number) {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
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
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline && !exited) {
    if (await answers(port)) return child;
    await sleep(50);
  }
  await terminate(child, 'SIGKILL');
  throw new Error(
    `postgres on port ${port} ${exited ? 'exited' : 'did not answer'} within ${READY_TIMEOUT_MS} ms:\n${output}`,
  );
}

async function answers(port: number): Promise<boolean> {
  const client = new pg.Client({
    connectionString: `postgres://postgres@127.0.0.1:${port}/postgres`,
    connectionTimeoutMillis: 1000,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * A killed postmaster may linger as a zombie that nothing reaps (its parent died with it), and
 * postgres refuses a data dir whose postmaster.pid names a pid that still exists. Such a lock is
 * stale: remove it.
 */
function clearStaleLock(data: string): void {
  let pid: number;
  try {
    pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return; // no lock file: a clean start
  }
  let state: string;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  } catch {
    state = 'gone';
  }
  if (state === 'Z' || state === 'gone') rmSync(join(data, 'postmaster.pid'), { force: true });
}

/** Signals the child (runuser or postgres) and every process below it: postmaster, backends. */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (!child.pid) return;
  for (const pid of tree(child.pid)) {
    try {
      process.kill(pid, signal);
    } catch {
      // gone meanwhile
    }
  }
}

/** `root` and its descendants, parents first, from /proc. */
function tree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    // pid (comm) state ppid …; comm may hold spaces and parentheses, so split after the last ')'
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const list = children.get(ppid) ?? [];
    list.push(Number(name));
    children.set(ppid, list);
  }
  const out = [root];
  for (let i = 0; i < out.length; i++) out.push(...(children.get(out[i]) ?? []));
  return out;
}

/** Signals the group and waits for the child's exit; SIGKILLs it after STOP_TIMEOUT_MS. */
async function terminate(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  signalGroup(child, signal);
  const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
  // Backends may outlive the postmaster by a moment after SIGKILL: wait until the group is gone.
  for (let i = 0; i < 100 && groupAlive(child); i++) await sleep(20);
}

/** Any postgres process of this data dir still running (backends outlive a killed postmaster). */
function groupAlive(child: ChildProcess): boolean {
  return child.pid !== undefined && tree(child.pid).length > 1;
}
