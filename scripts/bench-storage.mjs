#!/usr/bin/env node
// The storage scenarios of issue 8, in one run on this machine: batch-50 through the matrix on
// `file` (FSYNC=never and always), `file,redis` and `file,postgres` against a throwaway
// redis-server and PostgreSQL (free ports, temp dirs, stopped at the end; the fan-outs keep the
// matrix's stored = acked check on the file while the remote sink sets the pace), printed as
// ratios to `file`. Then the replay: a spool of --replay entries written while Redis is down is
// replayed once it is up while new traffic flows, and its rate printed.
//
//   node scripts/bench-storage.mjs [--runs 1] [--replay 200000] [--no-matrix] [--no-replay]
import { execFileSync, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  freePort,
  sleep,
  spawnTracked,
  startPostgres,
  startRedis,
  stop,
  waitFor,
} from './bench-servers.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BENCH = path.resolve(ROOT, '../shared/bench');
const MAIN = path.join(ROOT, 'dist/main.js');
const OUT = path.join(ROOT, 'bench-results');
const option = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : process.argv[i + 1];
};
const runs = option('runs', '1');
const replayEntries = Number(option('replay', '200000'));
async function matrix(redis, postgres) {
  const servers = {
    file: `node ${MAIN}`,
    fsync: `env FSYNC=always node ${MAIN}`,
    redis: `env STORAGE=file,redis REDIS_URL=${redis.url} node ${MAIN}`,
    postgres: `env STORAGE=file,postgres DATABASE_URL=${postgres.url} node ${MAIN}`,
  };
  fs.mkdirSync(OUT, { recursive: true });
  const before = new Set(fs.readdirSync(OUT));
  const args = [path.join(BENCH, 'matrix.mjs'), '--servers', Object.keys(servers).join(',')];
  for (const [name, cmd] of Object.entries(servers)) args.push('--server', `${name}=${cmd}`);
  args.push('--scenarios', 'b50', '--runs', runs, '--out', OUT);
  // A port of its own: another checkout's bench may hold the matrix's default one.
  const BENCH_PORT = process.env.BENCH_PORT ?? String(await freePort());
  const run = spawnSync(process.execPath, args, {
    stdio: 'inherit',
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', BENCH_PORT },
  });
  if (run.status !== 0) throw new Error(`matrix exited with ${run.status}`);
  const file = fs
    .readdirSync(OUT)
    .filter((f) => !before.has(f) && f.startsWith('matrix-'))
    .sort()
    .pop();
  const { rows } = JSON.parse(fs.readFileSync(path.join(OUT, file), 'utf8'));
  const of = (s) => rows.find((r) => r.server === s);
  const base = of('file')?.entriesPerS;
  console.log('\n| batch 50, 50 conns | entries/s | ratio to file | stored = acked |');
  console.log('|---|---|---|---|');
  for (const [name, label] of [
    ['file', 'file'],
    ['fsync', 'file, FSYNC=always'],
    ['redis', 'file,redis'],
    ['postgres', 'file,postgres'],
  ]) {
    const r = of(name);
    if (!r) continue;
    const ratio = base ? (r.entriesPerS / base).toFixed(2) : '-';
    console.log(`| ${label} | ${r.entriesPerS} | ${ratio} | ${r.storedOk ? 'yes' : 'NO'} |`);
  }
}

function loadgen(port, entries, key) {
  const args = [
    path.join(BENCH, 'loadgen.mjs'),
    '--url',
    `ws://127.0.0.1:${port}/ws`,
    '--key',
    key,
  ];
  args.push('--batch', '50', '--connections', '20', '--entries', String(entries), '--json');
  const child = spawnTracked(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  return once(child, 'exit').then(() => JSON.parse(out.trim().split('\n').pop()));
}

async function xlen(port) {
  const out = execFileSync('redis-cli', ['-p', String(port), 'XLEN', 'logs'])
    .toString()
    .trim();
  return Number(out) || 0;
}

/** Spool `replayEntries` while Redis is down, then measure the replay under new traffic. */
async function replay() {
  const key = 'bench-replay-key';
  const redisPort = await freePort();
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-replay-'));
  const env = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    STORAGE: 'redis',
    REDIS_URL: `redis://127.0.0.1:${redisPort}`,
    SPOOL_DIR: path.join(dir, 'spool'),
    API_KEYS: `bench:${key}`,
    LOG_LEVEL: 'error',
    BREAKER_HALF_OPEN_MS: '200',
  };
  const service = spawnTracked(process.execPath, [MAIN], { env, cwd: dir });
  await waitFor(port, 'service');
  const filled = await loadgen(port, replayEntries, key);
  const redis = await startRedis(redisPort);
  const started = Date.now();
  const traffic = loadgen(port, replayEntries, key);
  let stored = 0;
  while (stored < replayEntries && Date.now() - started < 120_000) {
    await sleep(50);
    stored = await xlen(redisPort);
  }
  const replayS = (Date.now() - started) / 1000;
  const during = await traffic;
  const total = filled.entriesAcked + during.entriesAcked;
  for (let i = 0; i < 200 && (await xlen(redisPort)) < total; i++) await sleep(100);
  const finalLen = await xlen(redisPort);
  await stop(service);
  await stop(redis.child);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(redis.dir, { recursive: true, force: true });
  console.log('\n| replay after an outage (redis) | value |');
  console.log('|---|---|');
  console.log(`| entries spooled while down | ${filled.entriesAcked} |`);
  console.log(`| first ${replayEntries} stream entries stored in | ${replayS.toFixed(2)} s |`);
  console.log(
    `| replay rate while new traffic flows | ${Math.round(replayEntries / replayS)} entries/s |`,
  );
  console.log(`| new traffic meanwhile | ${during.entriesPerS} entries/s |`);
  console.log(
    `| stream length = all acked | ${finalLen} = ${total} ${finalLen === total ? 'yes' : 'NO'} |`,
  );
}

if (!process.argv.includes('--no-matrix')) {
  const [redis, postgres] = await Promise.all([startRedis(), startPostgres()]);
  try {
    await matrix(redis, postgres);
  } finally {
    await stop(redis.child);
    await postgres.stopServer();
    for (const d of [redis.dir, postgres.dir]) fs.rmSync(d, { recursive: true, force: true });
  }
}
if (!process.argv.includes('--no-replay')) await replay();
