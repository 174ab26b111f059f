#!/usr/bin/env node
// The live tail's bench scenarios (issue 10), on the built service (`npm run build` first):
//  (a) fan-out: 2 instances sharing a throwaway Redis, filtered readers on B, producers paced on A;
//      delivery latency = push arrival − the entry's receipt `timestamp` (the service stamps the
//      receipt time, UTC ms, when the client leaves it out), so it spans store + publish + push;
//      the first `--warmup` seconds (JIT compiling the hot paths of A, B and the readers) are
//      delivered and counted but left out of the latency figures, and reported apart;
//  (b) producer throughput (loadgen batch 50, 50 conns, 1M) with 100 subscribers attached vs none;
//  (c) idle connections on one instance: KB per connection (loadgen --idle).
// Readers run in a worker thread, so that their parsing does not pace the producers. Prints a
// Markdown table; exits non-zero only on errors, never on a figure.
//
//   node scripts/bench-tail.mjs [--only fanout,throughput,idle] [--rate 20000] [--duration 10]
//     [--warmup 2]
//     [--readers 100] [--unfiltered 2] [--producers 10] [--batch 10] [--runs 2] [--idle 19000]
//     [--main dist/main.js]
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import WebSocket from 'ws';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The build under test; `--main PATH` measures another one (a baseline, a branch's build). */
const MAIN = path.resolve(option('main', path.join(ROOT, 'dist/main.js')));
const BENCH = path.resolve(ROOT, '../shared/bench');
const KEY = 'bench-tail-service-key';
const READER_KEY = 'bench-tail-reader-key';
/** A push starts with this, then the receipt timestamp's 24 characters (SPEC §1 field order). */
const PUSH_PREFIX = '{"event":"log","data":{"timestamp":"';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------- readers (worker thread)

/**
 * Opens one reader connection per filter, subscribes each and reports 'ready'; counts pushes per
 * reader (and their latency, if asked) until the main thread says 'stop', then reports them.
 */
async function readers({ url, filters, latency }) {
  const counts = new Array(filters.length).fill(0);
  /** Per kind of reader: each push's receipt time and latency (ms), index for index. */
  const lat = { filtered: { at: [], ms: [] }, unfiltered: { at: [], ms: [] } };
  let dropped = 0;
  const others = [];
  const sockets = await Promise.all(
    filters.map(async (filter, i) => {
      const ws = new WebSocket(url, {
        headers: { 'x-api-key': READER_KEY },
        perMessageDeflate: false,
      });
      await once(ws, 'open');
      const sink = Object.keys(filter).length > 0 ? lat.filtered : lat.unfiltered;
      ws.on('message', (data) => {
        const head = data.toString('latin1', 0, PUSH_PREFIX.length + 24);
        if (head.startsWith(PUSH_PREFIX)) {
          counts[i]++;
          if (latency) {
            const at = Date.parse(head.slice(PUSH_PREFIX.length));
            sink.at.push(at);
            sink.ms.push(Date.now() - at);
          }
          return;
        }
        const text = data.toString();
        if (text.startsWith('{"event":"dropped"')) dropped += JSON.parse(text).data.count;
        else if (!text.startsWith('{"event":"subscribed"')) others.push(text.slice(0, 200));
      });
      const subscribed = new Promise((resolve) => ws.once('message', resolve));
      ws.send(JSON.stringify({ event: 'subscribe', data: filter }));
      const reply = String(await subscribed);
      if (!reply.startsWith('{"event":"subscribed"')) throw new Error(`subscribe: ${reply}`);
      return ws;
    }),
  );
  // The readers' own lag, to tell it from the service's in the latency figures.
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  parentPort.postMessage({ ready: true });
  parentPort.on('message', (message) => {
    if (message === 'count')
      return parentPort.postMessage({ total: counts.reduce((a, b) => a + b, 0) });
    for (const ws of sockets) ws.terminate();
    /** Latency percentiles of the pushes of entries received in [from, to). */
    const summary = ({ at, ms }, from, to) => {
      const s = Float64Array.from(ms.filter((_, i) => at[i] >= from && at[i] < to)).sort();
      const q = (p) => (s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))] : null);
      return { n: s.length, p50: q(0.5), p99: q(0.99), max: s.length ? s[s.length - 1] : null };
    };
    const { from } = message;
    const latencies = {};
    for (const kind of ['filtered', 'unfiltered']) {
      latencies[kind] = summary(lat[kind], from, Infinity);
      latencies[kind].warmup = summary(lat[kind], -Infinity, from);
    }
    const loopDelay = { p99: Math.round(lag.percentile(99) / 1e6), max: Math.round(lag.max / 1e6) };
    parentPort.postMessage({ counts, dropped, others: others.slice(0, 5), latencies, loopDelay });
    parentPort.close();
  });
}

/** Starts the readers' worker; resolves once every reader is subscribed. */
async function startReaders(url, filters, latency) {
  const worker = new Worker(fileURLToPath(import.meta.url), {
    workerData: { url, filters, latency },
  });
  const failed = new Promise((_, reject) => worker.once('error', reject));
  const ready = new Promise((resolve) => worker.once('message', resolve));
  await Promise.race([ready, failed]);
  const ask = (message) => {
    const reply = new Promise((resolve) => worker.once('message', resolve));
    worker.postMessage(message);
    return Promise.race([reply, failed]);
  };
  return {
    count: async () => (await ask('count')).total,
    /** Stops the readers; latency figures cover entries received from `from` (epoch ms) on. */
    stop: (from = -Infinity) => ask({ from }),
  };
}

// ---------------------------------------------------------------- processes

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : process.argv[i + 1];
}

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function waitFor(port, child, what) {
  for (let i = 0; i < 150; i++) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}`);
    const ok = await new Promise((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await sleep(100);
  }
  throw new Error(`${what}: nothing listens on ${port}`);
}

/** The open-files limits of this process (the children inherit them). */
function fdLimits() {
  const m = /Max open files\s+(\d+|unlimited)\s+(\d+|unlimited)/.exec(
    fs.readFileSync('/proc/self/limits', 'utf8'),
  );
  const n = (v) => (v === 'unlimited' ? Infinity : Number(v));
  return m ? { soft: n(m[1]), hard: n(m[2]) } : { soft: NaN, hard: NaN };
}

const children = new Set();
process.once('exit', () => children.forEach((c) => c.kill('SIGKILL')));

async function stop(child) {
  children.delete(child);
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(t);
}

async function startRedis() {
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  const child = spawn('redis-server', args, { stdio: 'ignore' });
  children.add(child);
  await waitFor(port, child, 'redis-server');
  return { child, url: `redis://127.0.0.1:${port}` };
}

/** One `node dist/main.js` (exec'd under the hard fd limit, so the pid is the service's). */
async function startService(env = {}) {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-tail-'));
  const { hard } = fdLimits();
  const limit = Number.isFinite(hard) ? hard : 65536;
  const child = spawn(
    '/bin/sh',
    ['-c', `ulimit -n ${limit} && exec '${process.execPath}' '${MAIN}'`],
    {
      cwd: dir,
      env: {
        PATH: process.env.PATH,
        PORT: String(port),
        HOST: '127.0.0.1',
        STORAGE: 'file',
        LOG_DIR: path.join(dir, 'logs'),
        SPOOL_DIR: path.join(dir, 'spool'),
        API_KEYS: `bench:${KEY}`,
        READ_API_KEYS: `reader:${READER_KEY}`,
        WS_MAX_CONNECTIONS: '20000',
        LOG_LEVEL: 'warn',
        ...env,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  children.add(child);
  await waitFor(port, child, 'service');
  await sleep(300);
  const url = `ws://127.0.0.1:${port}/ws`;
  return {
    child,
    url,
    async stop() {
      await stop(child);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs the shared load generator and returns its JSON result; throws on its errors. */
async function loadgen(args) {
  const child = spawn(
    process.execPath,
    [path.join(BENCH, 'loadgen.mjs'), '--key', KEY, '--json', ...args],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  await once(child, 'exit');
  const result = JSON.parse(out.trim().split('\n').pop() || '{}');
  if (result.errors || result.ok === false) {
    throw new Error(`loadgen ${args.join(' ')}: ${JSON.stringify(result).slice(0, 400)}`);
  }
  return result;
}

/** CPU seconds a process has used so far (utime + stime, USER_HZ = 100). */
function cpuSeconds(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}

function machineTicks() {
  const f = fs
    .readFileSync('/proc/stat', 'utf8')
    .split('\n', 1)[0]
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  return {
    busy: f[0] + f[1] + f[2] + f[5] + f[6],
    all: f.reduce((a, b) => a + b, 0),
    steal: f[7] ?? 0,
  };
}

// ---------------------------------------------------------------- (a) fan-out

/** Paced producer: `rate` entries/s in batches, round-robin over connections; counts acks per project. */
async function producePaced(url, { rate, warmupS, durationS, connections, batch, projects }) {
  const filler = 'x'.repeat(200);
  const bodies = Array.from({ length: projects.length / batch }, (_, b) =>
    projects
      .slice(b * batch, (b + 1) * batch)
      .map((project) =>
        JSON.stringify({
          level: 'info',
          project,
          system: 'backend',
          module: 'TailBench',
          action: 'fanout',
          errorMessage: filler,
        }),
      )
      .join(','),
  );
  const acked = new Map(projects.map((p) => [p, 0]));
  let inflight = 0;
  let errors = 0;
  const clients = await Promise.all(
    Array.from({ length: connections }, async () => {
      const ws = new WebSocket(url, { headers: { 'x-api-key': KEY }, perMessageDeflate: false });
      await once(ws, 'open');
      const c = { ws, seq: 0, pending: [] };
      ws.on('message', (data) => {
        const { event, data: d } = JSON.parse(data);
        const b = c.pending.shift();
        inflight--;
        if (event !== 'ack' || d.accepted !== batch) return void errors++;
        for (const p of projects.slice(b * batch, (b + 1) * batch)) acked.set(p, acked.get(p) + 1);
      });
      return c;
    }),
  );
  const t0 = performance.now();
  const measuredFrom = Date.now() + warmupS * 1000;
  let sent = 0;
  let frame = 0;
  let behind = 0;
  while (performance.now() - t0 < (warmupS + durationS) * 1000) {
    const due = Math.floor((rate * (performance.now() - t0)) / 1000);
    for (; sent + batch <= due; sent += batch, frame++) {
      const c = clients[frame % clients.length];
      if (c.pending.length >= 64) {
        behind++;
        break;
      }
      const b = frame % bodies.length;
      c.pending.push(b);
      inflight++;
      c.ws.send(`{"event":"batch","data":{"seq":${++c.seq},"entries":[${bodies[b]}]}}`);
    }
    await sleep(2);
  }
  const elapsed = (performance.now() - t0) / 1000;
  for (let i = 0; i < 500 && inflight > 0; i++) await sleep(20);
  for (const c of clients) c.ws.terminate();
  if (inflight > 0 || errors > 0)
    throw new Error(`producer: ${inflight} unacked, ${errors} bad acks`);
  return { acked, sent, rate: Math.round(sent / elapsed), behind, measuredFrom };
}

async function fanout(o) {
  const redis = await startRedis();
  const [a, b] = await Promise.all([
    startService({ REDIS_URL: redis.url }),
    startService({ REDIS_URL: redis.url }),
  ]);
  try {
    const projects = Array.from(
      { length: o.readers },
      (_, i) => `bench-p${String(i).padStart(3, '0')}`,
    );
    const filters = [...projects.map((project) => ({ project })), ...Array(o.unfiltered).fill({})];
    const tail = await startReaders(b.url, filters, true);
    const pids = { A: a.child.pid, B: b.child.pid, redis: redis.child.pid, bench: process.pid };
    const cpu0 = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuSeconds(pid)]));
    const m0 = machineTicks();
    const t0 = performance.now();
    const produced = await producePaced(a.url, {
      ...o,
      warmupS: o.warmup,
      durationS: o.duration,
      projects,
    });
    const expected = [
      ...projects.map((p) => produced.acked.get(p)),
      ...Array(o.unfiltered).fill(produced.sent),
    ];
    const want = expected.reduce((x, y) => x + y, 0);
    // Pushes settle: every one expected is in, or none came for a second.
    for (let last = -1, n = 0, quiet = 0; n < want && quiet < 50;) {
      await sleep(20);
      [last, n] = [n, await tail.count()];
      quiet = n === last ? quiet + 1 : 0;
    }
    const m1 = machineTicks();
    const seconds = (performance.now() - t0) / 1000;
    const cpu = Object.entries(pids)
      .map(([k, pid]) => `${k} ${Math.round((100 * (cpuSeconds(pid) - cpu0[k])) / seconds)}%`)
      .join(', ');
    const got = await tail.stop(produced.measuredFrom);
    const split = (from, to) => ({
      delivered: got.counts.slice(from, to).reduce((x, y) => x + y, 0),
      expected: expected.slice(from, to).reduce((x, y) => x + y, 0),
    });
    const pct = (x) => Math.round((100 * x) / (m1.all - m0.all));
    return {
      produced,
      filtered: { ...split(0, o.readers), ...got.latencies.filtered },
      unfiltered: { ...split(o.readers), ...got.latencies.unfiltered },
      dropped: got.dropped,
      loopDelay: got.loopDelay,
      others: got.others,
      machine: { busyPct: pct(m1.busy - m0.busy), stealPct: pct(m1.steal - m0.steal), cpu },
    };
  } finally {
    await Promise.all([a.stop(), b.stop()]);
    await stop(redis.child);
  }
}

// ---------------------------------------------------------------- (b) throughput, (c) idle

/** Filters a dashboard watching errors would set: level error of one (project, module) of loadgen's. */
async function errorWatchFilters(n) {
  const { createRandom, makeEntry } = await import(path.join(BENCH, 'entries.mjs'));
  const r = createRandom(1);
  const pairs = new Map();
  for (let i = 0; i < 20_000; i++) {
    const e = makeEntry(r);
    pairs.set(`${e.project}\u0000${e.module}`, {
      level: 'error',
      project: e.project,
      module: e.module,
    });
  }
  const list = [...pairs.values()];
  return Array.from({ length: n }, (_, i) => list[i % list.length]);
}

async function throughputRun(subscribers, filters) {
  const service = await startService();
  try {
    const tail = subscribers ? await startReaders(service.url, filters, false) : null;
    const args = [
      '--url',
      service.url,
      '--batch',
      '50',
      '--connections',
      '50',
      '--entries',
      '1000000',
    ];
    const r = await loadgen([...args, '--pid', String(service.child.pid)]);
    const pushed = tail ? (await tail.stop()).counts.reduce((x, y) => x + y, 0) : 0;
    return { entriesPerS: r.entriesPerS, pushed, machine: r.machine, p99: r.latencyMs.p99 };
  } finally {
    await service.stop();
  }
}

async function throughput(o) {
  const filters = await errorWatchFilters(o.readers);
  const runs = { none: [], with: [] };
  for (let i = 0; i < o.runs; i++) {
    runs.none.push(await throughputRun(false, filters));
    runs.with.push(await throughputRun(true, filters));
    for (const arm of ['none', 'with']) {
      const r = runs[arm].at(-1);
      console.error(
        `[b50 #${i + 1} ${arm}] ${r.entriesPerS} entries/s, ${r.pushed} pushed, ` +
          `machine busy ${r.machine?.busyPct}% steal ${r.machine?.stealPct}% others ${r.machine?.othersPct}%`,
      );
    }
  }
  const median = (xs) => {
    const s = [...xs].sort((x, y) => x - y);
    const m = s.length >> 1;
    return s.length % 2 ? s[m] : Math.round((s[m - 1] + s[m]) / 2);
  };
  const none = median(runs.none.map((r) => r.entriesPerS));
  const withSubs = median(runs.with.map((r) => r.entriesPerS));
  return {
    none,
    with: withSubs,
    ratio: withSubs / none,
    pushed: median(runs.with.map((r) => r.pushed)),
  };
}

async function idle(o) {
  const service = await startService();
  try {
    const r = await loadgen([
      '--url',
      service.url,
      '--idle',
      String(o.idle),
      '--pid',
      String(service.child.pid),
    ]);
    return {
      requested: r.requested,
      established: r.established,
      open: r.stillOpen,
      kb: r.server?.kbPerConnection,
    };
  } finally {
    await service.stop();
  }
}

// ---------------------------------------------------------------- main

const shown = (x) => (x === null || x === undefined ? '-' : `${x}`);
const latency = (l) => `${shown(l.p50)} / ${shown(l.p99)} / ${shown(l.max)} (${l.n} pushes)`;

/** Rows of the table: [figure, this run, issue 10's target]. */
function fanoutRows(f, o) {
  if (f.others.length > 0) console.error(`readers got other events: ${f.others.join(' | ')}`);
  return [
    [
      'fan-out: producer rate achieved on A (entries/s)',
      `${f.produced.rate} (asked ${o.rate})`,
      '~20k',
    ],
    [
      `fan-out: latency receipt→push, ${o.readers} filtered readers on B (ms p50 / p99 / max)`,
      latency(f.filtered),
      'p99 ≤ 50',
    ],
    [
      `fan-out: latency, ${o.unfiltered} unfiltered readers on B (ms p50 / p99 / max)`,
      latency(f.unfiltered),
      'p99 ≤ 50',
    ],
    [
      `fan-out: latency in the first ${o.warmup} s (warm-up, left out above), filtered / unfiltered (ms p99 / max)`,
      `${shown(f.filtered.warmup.p99)} / ${shown(f.filtered.warmup.max)}, ${shown(f.unfiltered.warmup.p99)} / ${shown(f.unfiltered.warmup.max)}`,
      '-',
    ],
    [
      'fan-out: delivered / expected, filtered',
      `${f.filtered.delivered} / ${f.filtered.expected}`,
      'all',
    ],
    [
      'fan-out: delivered / expected, unfiltered',
      `${f.unfiltered.delivered} / ${f.unfiltered.expected}`,
      'all',
    ],
    ['fan-out: entries reported dropped (`dropped` counts)', `${f.dropped}`, '-'],
    [
      'fan-out: the readers’ own event-loop delay (ms p99 / max)',
      `${f.loopDelay.p99} / ${f.loopDelay.max}`,
      '-',
    ],
    [
      'fan-out: machine busy / steal (% of all cores)',
      `${f.machine.busyPct} / ${f.machine.stealPct}`,
      '-',
    ],
    ['fan-out: CPU per process (% of one core; bench = producers + readers)', f.machine.cpu, '-'],
  ];
}

function throughputRows(t, o) {
  const label = `b50 (batch 50, 50 conns, 1M), median of ${o.runs}`;
  return [
    [`${label}: entries/s without subscribers`, `${t.none}`, '-'],
    [
      `${label}: entries/s with ${o.readers} subscribers (error watchers, ${t.pushed} pushed)`,
      `${t.with}`,
      '-',
    ],
    ['b50: with / without', t.ratio.toFixed(2), '≥ 0.8'],
  ];
}

function idleRows(i, limits) {
  return [
    [
      `idle: established / still open / asked (fd limit ${limits.soft}, hard ${limits.hard})`,
      `${i.established} / ${i.open} / ${i.requested}`,
      '19,000',
    ],
    ['idle: server KB per connection', shown(i.kb), '≤ 10'],
  ];
}

async function main() {
  if (!fs.existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` first`);
  const o = {
    only: option('only', 'fanout,throughput,idle').split(','),
    rate: Number(option('rate', '20000')),
    duration: Number(option('duration', '10')),
    warmup: Number(option('warmup', '2')),
    readers: Number(option('readers', '100')),
    unfiltered: Number(option('unfiltered', '2')),
    connections: Number(option('producers', '10')),
    batch: Number(option('batch', '10')),
    runs: Number(option('runs', '2')),
    idle: Number(option('idle', '19000')),
  };
  if (o.readers % o.batch !== 0) throw new Error('--readers must be a multiple of --batch');
  const limits = fdLimits();
  console.error(
    `fd limit (ulimit -n): soft ${limits.soft}, hard ${limits.hard}; ${os.cpus().length} cores`,
  );
  const rows = [];
  if (o.only.includes('fanout')) rows.push(...fanoutRows(await fanout(o), o));
  if (o.only.includes('throughput')) rows.push(...throughputRows(await throughput(o), o));
  if (o.only.includes('idle')) rows.push(...idleRows(await idle(o), limits));
  console.log('\n| figure | this run | issue 10 target |\n|---|---|---|');
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
  console.log(
    '\nOne run on a shared machine: the services, Redis, the producers and the readers share its cores.',
  );
}

if (!isMainThread) await readers(workerData);
else {
  try {
    await main();
    process.exit(0);
  } catch (error) {
    console.error(`bench-tail: ${error.stack ?? error}`);
    process.exit(1);
  }
}
