#!/usr/bin/env node
// POST /logs NDJSON (1,000 lines a request) against WebSocket batch-50, same machine, same run:
// a fresh built service per run (file storage in a temp dir), alternating, medians, one ratio.
//
//   npm run build && node scripts/bench-http.mjs [--runs 3] [--entries 200000] [--clients 8]
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, readdirSync, readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BENCH = path.resolve(ROOT, '../shared/bench');
const { createRandom, makeEntry } = await import(path.join(BENCH, 'entries.mjs'));
const KEY = 'bench-secret';
const opt = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
};
const RUNS = opt('runs', 3);
const ENTRIES = opt('entries', 200_000);
const CLIENTS = opt('clients', 8);
const LINES = 1000;

/** utime + stime of `pid` in ms (/proc/PID/stat, clock ticks of 10 ms). */
function cpuMs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const [utime, stime] = stat
    .slice(stat.lastIndexOf(')') + 2)
    .split(' ')
    .slice(11, 13);
  return (Number(utime) + Number(stime)) * 10;
}

async function withService(fn) {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-http-'));
  const port = 3400 + Math.floor(Math.random() * 500);
  const child = spawn(process.execPath, [path.join(ROOT, 'dist/main.js')], {
    cwd: dir,
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      HOST: '127.0.0.1',
      API_KEYS: `bench:${KEY}`,
      LOG_DIR: path.join(dir, 'logs'),
      SPOOL_DIR: path.join(dir, 'spool'),
      LOG_LEVEL: 'warn',
    },
    stdio: 'ignore',
  });
  try {
    for (let i = 0; i < 200; i++) {
      const ok = await new Promise((r) =>
        request(`http://127.0.0.1:${port}/health/live`, (res) => {
          res.resume();
          r(res.statusCode === 200);
        })
          .on('error', () => r(false))
          .end(),
      );
      if (ok) break;
      await sleep(50);
    }
    const cpuBefore = cpuMs(child.pid);
    const result = await fn(port, child.pid);
    const cpuUsPerEntry = ((cpuMs(child.pid) - cpuBefore) * 1000) / ENTRIES;
    const stored = readdirSync(path.join(dir, 'logs')).reduce(
      (n, f) =>
        n +
        readFileSync(path.join(dir, 'logs', f), 'utf8')
          .split('\n')
          .filter(Boolean).length,
      0,
    );
    return { ...result, stored, cpuUsPerEntry };
  } finally {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

function wsBatch50(port, pid) {
  const run = spawnSync(
    process.execPath,
    [
      path.join(BENCH, 'loadgen.mjs'),
      '--url',
      `ws://127.0.0.1:${port}/ws`,
      '--key',
      KEY,
      '--connections',
      '50',
      '--entries',
      String(ENTRIES),
      '--batch',
      '50',
      '--window',
      '32',
      '--pid',
      String(pid),
      '--json',
    ],
    { encoding: 'utf8' },
  );
  const line = run.stdout.trim().split('\n').pop();
  return { entriesPerS: JSON.parse(line).entriesPerS };
}

async function httpNdjson(port) {
  const random = createRandom(1);
  const bodies = [];
  for (let i = 0; i < Math.ceil(ENTRIES / LINES); i++) {
    let body = '';
    for (let j = 0; j < LINES; j++) body += JSON.stringify(makeEntry(random)) + '\n';
    bodies.push(Buffer.from(body));
  }
  const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
  let next = 0;
  let accepted = 0;
  const post = (body) =>
    new Promise((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          path: '/logs',
          method: 'POST',
          agent,
          headers: {
            'x-api-key': KEY,
            'content-type': 'application/x-ndjson',
            'content-length': body.length,
          },
        },
        (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () =>
            res.statusCode === 200
              ? resolve(JSON.parse(Buffer.concat(chunks)).accepted)
              : reject(new Error(`status ${res.statusCode}`)),
          );
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (next < bodies.length) {
        // Read `accepted` after the await: `accepted += await ...` would lose concurrent updates.
        const n = await post(bodies[next++]);
        accepted += n;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  return { entriesPerS: Math.round(accepted / elapsed) };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ws = [];
const http = [];
const wsCpu = [];
const httpCpu = [];
for (let i = 0; i < RUNS; i++) {
  const w = await withService(wsBatch50);
  const h = await withService(httpNdjson);
  ws.push(w.entriesPerS);
  http.push(h.entriesPerS);
  wsCpu.push(w.cpuUsPerEntry);
  httpCpu.push(h.cpuUsPerEntry);
  console.log(
    `run ${i + 1}: ws batch-50 ${w.entriesPerS} entries/s, ${w.cpuUsPerEntry.toFixed(2)} µs CPU/entry (stored ${w.stored}); ` +
      `http ndjson-${LINES} ${h.entriesPerS} entries/s, ${h.cpuUsPerEntry.toFixed(2)} µs CPU/entry (stored ${h.stored})`,
  );
}
console.log(
  `median: ws batch-50 ${median(ws)} entries/s, POST /logs NDJSON ${median(http)} entries/s, ratio ${(median(http) / median(ws)).toFixed(2)}`,
);
// The service's CPU per entry does not depend on what else the machine runs: its inverse ratio
// is the throughput ratio a CPU-bound service would reach.
console.log(
  `service CPU per entry (median): ws ${median(wsCpu).toFixed(2)} µs, http ${median(httpCpu).toFixed(2)} µs, ` +
    `throughput ratio at equal CPU ${(median(wsCpu) / median(httpCpu)).toFixed(2)}; load average ${os.loadavg()[0].toFixed(2)}`,
);
