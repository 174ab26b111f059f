// Throwaway servers for the bench scripts (scripts/bench-*.mjs): free ports, temp dirs, killed
// when the script exits. The test suite has its own TypeScript launchers in test/support.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const children = new Set();
process.on('exit', () => children.forEach((c) => c.kill('SIGKILL')));

export function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

export async function waitFor(port, what) {
  for (let i = 0; i < 200; i++) {
    const ok = await new Promise((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await sleep(100);
  }
  throw new Error(`${what} does not listen on ${port}`);
}

/** A child killed (SIGKILL) when the script exits, whatever happens before. */
export function spawnTracked(cmd, args, opts = {}) {
  const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'inherit'], ...opts });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

export async function stop(child, signal = 'SIGTERM') {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill(signal);
  await exited;
}

export async function startRedis(port = undefined) {
  port ??= await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-redis-'));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  const child = spawnTracked('redis-server', [...args, '--dir', dir]);
  await waitFor(port, 'redis-server');
  return { port, url: `redis://127.0.0.1:${port}`, child, dir };
}

/**
 * initdb into a temp dir and `postgres` on a free port (as the `postgres` OS user when root:
 * initdb refuses root). Durable commits as in production (fsync on) unless `settings` say
 * otherwise (`['-c', 'fsync=off']`); only the socket dir is kept out of /run.
 */
export async function startPostgres(settings = []) {
  const bin = fs
    .readdirSync('/usr/lib/postgresql')
    .sort((a, b) => Number(b) - Number(a))
    .map((v) => `/usr/lib/postgresql/${v}/bin`)[0];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-pg-'));
  const root = process.getuid() === 0;
  const as = (cmd, args) =>
    root ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
  if (root) execFileSync('chown', ['postgres', dir]);
  const data = path.join(dir, 'data');
  const [ic, ia] = as(`${bin}/initdb`, ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  execFileSync(ic, ia, { stdio: 'ignore' });
  const port = await freePort();
  const [pc, pa] = as(`${bin}/postgres`, [
    ...['-D', data, '-p', String(port), '-c', 'listen_addresses=127.0.0.1'],
    ...['-c', 'unix_socket_directories=', '-c', 'shared_buffers=256MB', ...settings],
  ]);
  const child = spawnTracked(pc, pa);
  await waitFor(port, 'postgres');
  await sleep(500);
  // runuser does not pass SIGINT on: pg_ctl stops the server itself (fast shutdown).
  const [sc, sa] = as(`${bin}/pg_ctl`, ['-D', data, '-m', 'fast', '-w', 'stop']);
  const stopServer = async () => {
    execFileSync(sc, sa, { stdio: 'ignore' });
    await stop(child);
  };
  return { port, url: `postgres://postgres@127.0.0.1:${port}/postgres`, child, dir, stopServer };
}
