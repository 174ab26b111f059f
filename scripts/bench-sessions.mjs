#!/usr/bin/env node
// The project's own bench scenario (issue 4): `log` frames over a Redis session key against the
// same run over a static key, runs alternating on fresh service processes, medians compared.
// Sessions are resolved once per connection, so the ratio should stay near 1.
//
//   node scripts/bench-sessions.mjs [--runs 3] [--connections 50] [--entries 200000]
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const LOADGEN = path.resolve(ROOT, '../shared/bench/loadgen.mjs');
const STATIC_KEY = 'bench-static-key';
const SESSION_KEY = 'bench-session-key';
const SESSION = { user: 'bench-user', timestamp: new Date().toISOString(), ipaddress: '127.0.0.1' };

const option = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : process.argv[i + 1];
};
const runs = Number(option('runs', '3'));
const connections = option('connections', '50');
const entries = option('entries', '200000');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function waitFor(port) {
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await sleep(100);
  }
  throw new Error(`nothing listens on ${port}`);
}

async function stop(child) {
  if (child.exitCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

async function startRedis() {
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
  await waitFor(port);
  const set = spawnSync('redis-cli', [
    '-p',
    String(port),
    'SET',
    `session:${SESSION_KEY}`,
    JSON.stringify(SESSION),
  ]);
  if (set.status !== 0) throw new Error('redis-cli SET failed');
  return { child, url: `redis://127.0.0.1:${port}` };
}

async function oneRun(key, redisUrl) {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-sessions-'));
  const service = spawn(process.execPath, [path.join(ROOT, 'dist/main.js')], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_DIR: path.join(dir, 'logs'),
      SPOOL_DIR: path.join(dir, 'spool'),
      API_KEYS: `bench:${STATIC_KEY}`,
      REDIS_URL: redisUrl,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    await waitFor(port);
    await sleep(300);
    const gen = spawnSync(
      process.execPath,
      [
        LOADGEN,
        '--url',
        `ws://127.0.0.1:${port}/ws`,
        '--key',
        key,
        '--connections',
        connections,
        '--entries',
        entries,
        '--batch',
        '1',
        '--json',
        '--pid',
        String(service.pid),
      ],
      { encoding: 'utf8', timeout: 300_000 },
    );
    const result = JSON.parse(gen.stdout.trim().split('\n').pop());
    if (result.errors) throw new Error(`loadgen errors: ${JSON.stringify(result.errorKinds)}`);
    return result.entriesPerS;
  } finally {
    await stop(service);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const redis = await startRedis();
try {
  const results = { static: [], session: [] };
  for (let i = 0; i < runs; i++) {
    results.static.push(await oneRun(STATIC_KEY, redis.url));
    results.session.push(await oneRun(SESSION_KEY, redis.url));
    console.error(
      `[sessions #${i + 1}] static ${results.static.at(-1)} session ${results.session.at(-1)} entries/s`,
    );
  }
  const s = median(results.static);
  const t = median(results.session);
  console.log(
    `\n| log frames, ${connections} conns, ${entries} | static key | session key | session / static |`,
  );
  console.log('|---|---|---|---|');
  console.log(`| entries/s (median of ${runs}) | ${s} | ${t} | ${(t / s).toFixed(2)} |`);
} finally {
  await stop(redis.child);
}
