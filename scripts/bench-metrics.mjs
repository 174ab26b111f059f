#!/usr/bin/env node
// A /metrics scrape with --idle (10,000) authenticated WebSocket connections open (issue 9:
// ≤ 50 ms). The built service (file storage, temp dir) first gets one POST /logs from each of
// --keys (150) key names, so that logger_entries_by_key_total shows its bound (100 names, then
// `other`); then ../shared/bench/loadgen.mjs --idle opens the sockets and holds them while
// --scrapes (50) sequential keep-alive scrapes are timed, client side, after 5 warm-up ones.
// The same scrapes with no socket open come first, for comparison.
//
//   npm run build && node scripts/bench-metrics.mjs [--idle 10000] [--scrapes 50] [--keys 150]
import { Agent, request } from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { freePort, sleep, spawnTracked, stop, waitFor } from './bench-servers.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BENCH = path.resolve(ROOT, '../shared/bench');
const opt = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
};
const IDLE = opt('idle', 10_000);
const SCRAPES = opt('scrapes', 50);
const KEYS = opt('keys', 150);
const WARMUP = 5;
const keys = Array.from({ length: KEYS }, (_, i) => [`svc-${i}`, `bench-key-${i}-secret`]);

function http(agent, port, method, urlPath, headers = {}, body = undefined) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = request(
      { host: '127.0.0.1', port, method, path: urlPath, agent, headers },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode,
            ms: performance.now() - t0,
            text: Buffer.concat(chunks).toString(),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function cpuMs(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const [utime, stime] = stat
    .slice(stat.lastIndexOf(')') + 2)
    .split(' ')
    .slice(11, 13);
  return (Number(utime) + Number(stime)) * 10;
}

/** Timed sequential scrapes: p50/p99/max ms, server CPU ms per scrape, the last body. */
async function scrapes(port, pid) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  for (let i = 0; i < WARMUP; i++) await http(agent, port, 'GET', '/metrics');
  const ms = [];
  let text = '';
  const before = cpuMs(pid);
  for (let i = 0; i < SCRAPES; i++) {
    const r = await http(agent, port, 'GET', '/metrics');
    if (r.status !== 200) throw new Error(`GET /metrics: ${r.status}`);
    ms.push(r.ms);
    text = r.text;
  }
  const cpu = (cpuMs(pid) - before) / SCRAPES;
  agent.destroy();
  const s = ms.sort((a, b) => a - b);
  const at = (p) => s[Math.min(s.length - 1, Math.floor((s.length * p) / 100))].toFixed(1);
  return { p50: at(50), p99: at(99), max: s.at(-1).toFixed(1), cpu: cpu.toFixed(1), text };
}

/** Series (label sets) per metric family of an exposition. */
function seriesCounts(text) {
  const counts = new Map();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const name = line.match(/^[a-zA-Z_:][a-zA-Z0-9_:]*/)[0].replace(/_(bucket|sum|count)$/, '');
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return counts;
}

const sample = (text, metric) =>
  text
    .split('\n')
    .find((l) => l.startsWith(metric))
    ?.split(' ')
    .pop();

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-metrics-'));
const port = await freePort();
const service = spawnTracked(process.execPath, [path.join(ROOT, 'dist/main.js')], {
  cwd: dir,
  env: {
    PATH: process.env.PATH,
    PORT: String(port),
    HOST: '127.0.0.1',
    API_KEYS: keys.map(([name, key]) => `${name}:${key}`).join(','),
    LOG_DIR: path.join(dir, 'logs'),
    SPOOL_DIR: path.join(dir, 'spool'),
    LOG_LEVEL: 'warn',
    WS_MAX_CONNECTIONS: String(IDLE),
  },
});
let holder;
try {
  await waitFor(port, 'service');
  const agent = new Agent({ keepAlive: true });
  const entry = (i) =>
    JSON.stringify({ level: 'info', project: 'bench', system: 's', module: 'm', action: `a${i}` });
  for (const [i, [, key]] of keys.entries()) {
    const r = await http(agent, port, 'POST', '/logs', { 'x-api-key': key }, entry(i));
    if (r.status !== 200) throw new Error(`POST /logs: ${r.status} ${r.text}`);
  }
  agent.destroy();
  const quiet = await scrapes(port, service.pid);

  holder = spawnTracked(
    process.execPath,
    [
      path.join(BENCH, 'loadgen.mjs'),
      ...['--url', `ws://127.0.0.1:${port}/ws`, '--key', keys[0][1]],
      ...['--idle', String(IDLE), '--settle', '1', '--hold', '600', '--json'],
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  let open = 0;
  const probe = new Agent({ keepAlive: false });
  for (let i = 0; i < 1200 && open < IDLE; i++) {
    await sleep(250);
    const r = await http(probe, port, 'GET', '/metrics');
    open = Number(sample(r.text, 'logger_connections{transport="ws"}') ?? 0);
  }
  if (open < IDLE) throw new Error(`only ${open} of ${IDLE} sockets opened`);
  await sleep(2000); // the ramp's handshakes and GC settle
  const load = os.loadavg()[0].toFixed(2);
  const busy = await scrapes(port, service.pid);
  const after = Number(sample(busy.text, 'logger_connections{transport="ws"}'));

  const counts = seriesCounts(busy.text);
  const own = [...counts].filter(([name]) => name.startsWith('logger_'));
  console.log(
    `\n/metrics scrape, ${SCRAPES} sequential keep-alive scrapes after ${WARMUP} warm-up (ms):`,
  );
  console.log('| sockets open | p50 | p99 | max | server CPU ms/scrape | body bytes |');
  console.log('|---|---|---|---|---|---|');
  console.log(
    `| 0 | ${quiet.p50} | ${quiet.p99} | ${quiet.max} | ${quiet.cpu} | ${quiet.text.length} |`,
  );
  console.log(
    `| ${after} | ${busy.p50} | ${busy.p99} | ${busy.max} | ${busy.cpu} | ${busy.text.length} |`,
  );
  console.log(
    `series: ${[...counts.values()].reduce((a, b) => a + b, 0)} in ${counts.size} families; ` +
      own.map(([name, n]) => `${name} ${n}`).join(', '),
  );
  console.log(
    `logger_entries_by_key_total: ${counts.get('logger_entries_by_key_total')} series for ${KEYS} key names ` +
      `(other = ${sample(busy.text, 'logger_entries_by_key_total{key_name="other"}') ?? '-'})`,
  );
  console.log(`process_open_fds in the last scrape: ${sample(busy.text, 'process_open_fds')}`);
  console.log(`load average (1 min) while measuring: ${load}; target p99 ≤ 50 ms`);
} finally {
  if (holder) await stop(holder, 'SIGKILL');
  await stop(service);
  fs.rmSync(dir, { recursive: true, force: true });
}
