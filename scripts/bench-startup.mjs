#!/usr/bin/env node
// Start to ready and idle memory (issue 13): spawns `node dist/main.js` (STORAGE=file, no Redis,
// what `npm start` runs) and the reference servers of ../shared/bench, each N times, alternating.
// Ready is spawn -> the first 200 of GET /health/ready for the project; the references have no
// probe, so theirs is spawn -> the first HTTP answer of any status. RSS (VmRSS of /proc/PID/status)
// is read once ready and again after a settle with no traffic. Prints medians.
//
//   node scripts/bench-startup.mjs [--runs 7] [--settle 3] [--servers project,node,go]
//                                  [--main dist/main.js]
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BENCH = path.resolve(ROOT, '../shared/bench');

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : process.argv[i + 1];
}

const runs = Math.max(1, Number(option('runs', '7')));
const settleS = Number(option('settle', '3'));
const main = path.resolve(ROOT, option('main', 'dist/main.js'));
const goBin = path.join(BENCH, 'baseline-go/bin/baseline-go');
const SERVERS = {
  project: { cmd: process.execPath, args: [main], probe: '/health/ready', want: 200 },
  node: { cmd: process.execPath, args: [path.join(BENCH, 'baseline-ws.mjs')], probe: '/', want: 0 },
  go: { cmd: goBin, args: [], probe: '/', want: 0 },
};
const names = option('servers', fs.existsSync(goBin) ? 'project,node,go' : 'project,node').split(
  ',',
);
for (const n of names) if (!SERVERS[n]) throw new Error(`unknown server ${n}`);

/** A free TCP port from the kernel. */
function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.once('error', reject);
  });
}

/** One GET; resolves with the status, or 0 if nothing answered. */
function get(port, urlPath) {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: urlPath, agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.once('error', () => resolve(0));
    req.setTimeout(1000, () => req.destroy());
  });
}

/** utime + stime of the process so far, in ms: steadier than wall time on a shared machine. */
function cpuMs(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(f[11]) + Number(f[12])) * 1000) / 100;
}

function rssMB(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024;
}

async function once(name) {
  const server = SERVERS[name];
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-startup-'));
  const env = {
    PATH: process.env.PATH,
    PORT: String(port),
    HOST: '127.0.0.1',
    STORAGE: 'file',
    LOG_DIR: path.join(dir, 'logs'),
    SPOOL_DIR: path.join(dir, 'spool'),
    API_KEYS: 'bench:bench-secret-0123456789',
    LOG_LEVEL: 'warn',
    NODE_ENV: 'production',
  };
  fs.mkdirSync(env.LOG_DIR, { recursive: true });
  const t0 = process.hrtime.bigint();
  const child = spawn(server.cmd, server.args, {
    cwd: dir,
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (s) => (stderr += s));
  let exited = false;
  child.once('exit', () => (exited = true));
  try {
    for (;;) {
      if (exited) throw new Error(`${name} exited before ready\n${stderr}`);
      const status = await get(port, server.probe);
      if (status !== 0 && (server.want === 0 || status === server.want)) break;
      if (Number(process.hrtime.bigint() - t0) > 30e9) throw new Error(`${name} not ready in 30 s`);
      await sleep(5);
    }
    const readyMs = Number(process.hrtime.bigint() - t0) / 1e6;
    const cpuReady = cpuMs(child.pid);
    const rssReady = rssMB(child.pid);
    await sleep(settleS * 1000);
    const rssSettled = rssMB(child.pid);
    return { readyMs, cpuReady, rssReady, rssSettled };
  } finally {
    child.kill('SIGKILL');
    if (!exited) await new Promise((r) => child.once('exit', r));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const results = Object.fromEntries(names.map((n) => [n, []]));
for (let i = 0; i < runs; i++) for (const n of names) results[n].push(await once(n));

const load = os
  .loadavg()
  .map((l) => l.toFixed(2))
  .join(' ');
console.log(`\nStart to ready and idle RSS, ${runs} runs each, medians (load average ${load}):\n`);
console.log(
  '| server | ready ms | CPU to ready ms | RSS at ready MB | RSS after settle MB | runs (ready ms) |',
);
console.log('|---|---|---|---|---|---|');
for (const n of names) {
  const r = results[n];
  console.log(
    `| ${n} | ${median(r.map((x) => x.readyMs)).toFixed(0)} | ${median(r.map((x) => x.cpuReady)).toFixed(0)} | ${median(r.map((x) => x.rssReady)).toFixed(1)} | ${median(r.map((x) => x.rssSettled)).toFixed(1)} | ${r.map((x) => x.readyMs.toFixed(0)).join(', ')} |`,
  );
}
