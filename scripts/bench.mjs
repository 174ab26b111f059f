#!/usr/bin/env node
// `npm run bench`: measures the built service beside the reference servers of ../shared/bench in
// one run on this machine (fresh server per run, alternating, medians) and prints ratios to the
// bare-`ws` reference, since absolute figures on a shared machine mean little.
//
//   npm run bench [-- --scenarios a50,b50,idle5000 --runs 3 --servers project,project-auto,node,go
//                    --no-sessions --no-storage --no-http --no-query --no-metrics --no-tail --no-sdk
//                    --no-startup]
//
// `project-auto` is the service with WORKERS=auto (a node:cluster primary and one worker per
// core), `project-w2` with WORKERS=2. The matrix's loadgen sums the CPU and RSS of the server's
// whole process tree (/proc), so a cluster is measured with its workers. Per core is entries/s
// divided by the server's CPU (100 % = one core busy for the whole run).
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BENCH = path.resolve(ROOT, '../shared/bench');
const OUT = path.join(ROOT, 'bench-results');

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : process.argv[i + 1];
}

if (!fs.existsSync(path.join(BENCH, 'matrix.mjs'))) throw new Error(`${BENCH} not found`);
if (!fs.existsSync(path.join(BENCH, 'node_modules/ws'))) {
  execFileSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: BENCH, stdio: 'inherit' });
}
const goBuilt = fs.existsSync(path.join(BENCH, 'baseline-go/bin/baseline-go'));
const servers = option(
  'servers',
  goBuilt ? 'project,project-auto,node,go' : 'project,project-auto,node',
);
const scenarios = option('scenarios', 'a50,b50,idle5000');
const runs = option('runs', '3');

fs.mkdirSync(OUT, { recursive: true });
const before = new Set(fs.readdirSync(OUT));
const run = spawnSync(
  process.execPath,
  [
    path.join(BENCH, 'matrix.mjs'),
    '--server',
    `project=node ${path.join(ROOT, 'dist/main.js')}`,
    '--server',
    `project-w2=env WORKERS=2 node ${path.join(ROOT, 'dist/main.js')}`,
    '--server',
    `project-auto=env WORKERS=auto node ${path.join(ROOT, 'dist/main.js')}`,
    '--servers',
    servers,
    '--scenarios',
    scenarios,
    '--runs',
    runs,
    '--out',
    OUT,
  ],
  {
    stdio: 'inherit',
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn' },
  },
);
if (run.status !== 0) process.exit(run.status ?? 1);

const file = fs
  .readdirSync(OUT)
  .filter((f) => !before.has(f) && f.startsWith('matrix-'))
  .sort()
  .pop();
const { rows } = JSON.parse(fs.readFileSync(path.join(OUT, file), 'utf8'));
const ratio = (a, b) => (a == null || b == null || b === 0 ? '-' : (a / b).toFixed(2));
/** Entries per second per busy core: entries/s ÷ (server CPU % / 100). */
const perCore = (r) =>
  r?.entriesPerS && r.serverCpuPct ? r.entriesPerS / (r.serverCpuPct / 100) : null;
console.log(
  '\n| server | scenario | entries/s | srv CPU % | per core | / node | / go | per core / node | per core / go | stored = acked |',
);
console.log('|---|---|---|---|---|---|---|---|---|---|');
for (const scenario of scenarios.split(',')) {
  const of = (s) => rows.find((r) => r.server === s && r.scenario === scenario);
  for (const server of servers.split(',').filter((s) => s.startsWith('project'))) {
    const p = of(server);
    if (!p) continue;
    const load = p.entriesPerS !== undefined;
    const metric = (r) => (r ? (load ? r.entriesPerS : r.kbPerConn) : null);
    const raw = load ? p.entriesPerS : `${p.kbPerConn} KB/conn`;
    const core = perCore(p);
    console.log(
      `| ${server} | ${p.label} | ${raw} | ${load ? p.serverCpuPct : '-'} | ${core ? Math.round(core) : '-'} | ${ratio(metric(p), metric(of('node')))} | ${ratio(metric(p), metric(of('go')))} | ${ratio(core, perCore(of('node')))} | ${ratio(core, perCore(of('go')))} | ${load ? (p.storedOk ? 'yes' : 'NO') : '-'} |`,
    );
  }
}
console.log(`load average at the end: ${fs.readFileSync('/proc/loadavg', 'utf8').trim()}`);

// Start to ready and idle RSS beside the references' (issue 13; skip with --no-startup).
if (!process.argv.includes('--no-startup')) {
  const startup = spawnSync(
    process.execPath,
    [path.join(ROOT, 'scripts/bench-startup.mjs'), '--runs', String(Math.max(5, Number(runs)))],
    { stdio: 'inherit' },
  );
  if (startup.status !== 0) process.exit(startup.status ?? 1);
}

// The project's own scenarios, beside the matrix (skip with --no-sessions).
if (!process.argv.includes('--no-sessions')) {
  const sessions = spawnSync(
    process.execPath,
    [path.join(ROOT, 'scripts/bench-sessions.mjs'), '--runs', runs],
    {
      stdio: 'inherit',
    },
  );
  if (sessions.status !== 0) process.exit(sessions.status ?? 1);
}

// The storage scenarios (issue 8): batch-50 on redis and postgres against file, FSYNC=always, and
// the replay rate after an outage (skip with --no-storage).
if (!process.argv.includes('--no-storage')) {
  const storage = spawnSync(process.execPath, [path.join(ROOT, 'scripts/bench-storage.mjs')], {
    stdio: 'inherit',
  });
  if (storage.status !== 0) process.exit(storage.status ?? 1);
}

// The project's other scenarios: POST /logs against WebSocket batch-50, GET /logs on postgres
// with 1M rows, a /metrics scrape with 10,000 connections open (issue 9), tail fan-out, producer
// throughput with subscribers and idle connections (issue 10), the client package against the raw
// load generator (issue 11). Skip with --no-http, --no-query, --no-metrics, --no-tail, --no-sdk.
for (const [flag, script] of [
  ['--no-http', 'scripts/bench-http.mjs'],
  ['--no-query', 'scripts/bench-query.mjs'],
  ['--no-metrics', 'scripts/bench-metrics.mjs'],
  ['--no-tail', 'scripts/bench-tail.mjs'],
  ['--no-sdk', 'scripts/bench-sdk.mjs'],
]) {
  if (process.argv.includes(flag)) continue;
  const run = spawnSync(process.execPath, [path.join(ROOT, script)], { stdio: 'inherit' });
  if (run.status !== 0) process.exit(run.status ?? 1);
}

// The web console in headless Chromium at 1,000 entries/s (issue 12): ten minutes by default, so
// only with --console (or `npm run bench:console`); --console-minutes N shortens it.
if (process.argv.includes('--console')) {
  const i = process.argv.indexOf('--console-minutes');
  const minutes = i === -1 ? [] : ['--minutes', process.argv[i + 1]];
  const run = spawnSync(
    process.execPath,
    [path.join(ROOT, 'scripts/bench-console.mjs'), ...minutes],
    {
      stdio: 'inherit',
    },
  );
  if (run.status !== 0) process.exit(run.status ?? 1);
}
