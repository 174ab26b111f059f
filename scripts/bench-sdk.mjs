#!/usr/bin/env node
// The client package's bench scenarios (issue 11), on the built service and SDK (`npm run build`
// first), against one fresh service (file storage in a temp dir) per run, in the same run:
//  (a) throughput: the raw load generator (../shared/bench/loadgen.mjs, batch 50, 50 connections)
//      against the SDK (50 loggers, batchSize 50, in their own process like loadgen), flooding;
//      and the SDK with a producerId (SPEC §8) against without;
//  (b) ack time at half load: half of loadgen's rate, paced, 50 connections, a 50-entry burst per
//      tick per connection; raw = pre-serialized batch frames on `ws` (loadgen's way), SDK =
//      logger.log × 50 then flush(); an entry's ack time = ack (flush resolved) − its burst's tick.
//      Raw and SDK run side by side, in two processes of 25 connections at a quarter of the rate
//      each, so that the machine's scheduling noise (p99s of 10-40 ms here) falls on both alike;
//  (c) the same ack time on one connection, bursts back to back, raw and SDK alternating: what
//      the SDK itself adds, without 50 paced clients' scheduling on a loaded machine.
// Prints a Markdown table with the load average; exits non-zero only on errors, never on a figure.
//
//   node scripts/bench-sdk.mjs [--runs 3] [--entries 400000] [--duration 8]
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BENCH = path.resolve(ROOT, '../shared/bench');
const SDK = path.join(ROOT, 'packages/client/dist/index.js');
const KEY = 'bench-sdk-secret';
const CONNS = 50;
const BATCH = 50;
const opt = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : process.argv[i + 1];
};
const RUNS = Number(opt('runs', 3));
const ENTRIES = Number(opt('entries', 400_000));
const DURATION_S = Number(opt('duration', 8));

// ---------------------------------------------------------------- child modes (own process)

const mode = opt('mode', '');
if (mode) {
  const args = JSON.parse(opt('args', '{}'));
  const result =
    mode === 'flood'
      ? await sdkFlood(args)
      : mode === 'serial'
        ? await serial(args)
        : await paced(args);
  process.stdout.write(JSON.stringify(result) + '\n');
  process.exit(0);
}

/** Entries of the load generator's generator, made once: the figure is the SDK's, not theirs. */
async function entryPool(n) {
  const { createRandom, makeEntry } = await import(path.join(BENCH, 'entries.mjs'));
  const random = createRandom(1);
  return Array.from({ length: n }, () => makeEntry(random));
}

/** 50 loggers, each handed its share as fast as it takes them; entries/s acked. */
async function sdkFlood({ url, entries, producer }) {
  const { createLogger } = await import(SDK);
  const pool = await entryPool(10_000);
  const per = Math.ceil(entries / CONNS);
  const loggers = Array.from({ length: CONNS }, (_, i) =>
    createLogger({
      url,
      apiKey: KEY,
      project: 'bench',
      system: 'sdk',
      batchSize: BATCH,
      onFull: 'block',
      ...(producer ? { producerId: `bench-${process.pid}-${i}` } : {}),
    }),
  );
  await Promise.all(loggers.map((l) => new Promise((r) => l.on('connected', r))));
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  await Promise.all(
    loggers.map(async (logger, c) => {
      for (let i = 0; i < per; i++) await logger.log(pool[(c * per + i) % pool.length]);
      await logger.close();
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  const acked = loggers.reduce((n, l) => n + l.stats().acked, 0);
  const cpu = process.cpuUsage(cpu0);
  const clientUsPerEntry = Math.round(((cpu.user + cpu.system) / acked) * 100) / 100;
  return { entriesPerS: Math.round(acked / elapsed), acked, clientUsPerEntry };
}

/**
 * `rate` entries/s in 50-entry bursts, spread over 50 connections, for `durationS`; ack time of
 * each burst from its tick. `via`: `raw` (ws, pre-serialized frames) or `sdk`.
 */
async function paced({ url, rate, durationS, via, conns: n }) {
  const pool = await entryPool(BATCH * 200);
  const burstsPerConnPerS = rate / BATCH / n;
  const periodMs = 1000 / burstsPerConnPerS;
  const latencies = [];
  const conns = via === 'raw' ? await rawConns(url, pool, n) : await sdkConns(url, pool, n);
  const t0 = performance.now() + 200;
  const end = t0 + durationS * 1000;
  await Promise.all(
    conns.map(async (send, c) => {
      // Staggered, so that the bursts of all connections spread over the period.
      for (let k = 0; ; k++) {
        const tick = t0 + (c / n) * periodMs + k * periodMs;
        if (tick >= end) break;
        const wait = tick - performance.now();
        if (wait > 0) await sleep(wait);
        await send(k);
        latencies.push(performance.now() - tick);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const q = (p) => Math.round(latencies[Math.floor((latencies.length - 1) * p)] * 100) / 100;
  return { bursts: latencies.length, p50: q(0.5), p99: q(0.99) };
}

/**
 * One connection, one 50-entry burst at a time, back to back (no pacing, so no scheduler noise
 * from 50 clients): the ack time of a raw frame against logger.log × 50 + flush(), alternating.
 */
async function serial({ url, bursts }) {
  const pool = await entryPool(BATCH * 200);
  const [raw] = await rawConns(url, pool, 1);
  const [sdk] = await sdkConns(url, pool, 1);
  const lat = { raw: [], sdk: [] };
  for (let k = 0; k < bursts; k++) {
    for (const via of ['raw', 'sdk']) {
      const t = performance.now();
      await (via === 'raw' ? raw(k) : sdk(k));
      lat[via].push(performance.now() - t);
    }
  }
  const q = (xs, p) =>
    Math.round([...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) * p)] * 1000) / 1000;
  return {
    rawP50: q(lat.raw, 0.5),
    rawP99: q(lat.raw, 0.99),
    sdkP50: q(lat.sdk, 0.5),
    sdkP99: q(lat.sdk, 0.99),
  };
}

async function rawConns(url, pool, conns = CONNS) {
  const { default: WebSocket } = await import(path.join(BENCH, 'node_modules/ws/index.js'));
  const frames = Array.from({ length: 200 }, (_, i) =>
    JSON.stringify({
      event: 'batch',
      data: { seq: i + 1, entries: pool.slice(i * BATCH, (i + 1) * BATCH) },
    }),
  );
  return Promise.all(
    Array.from({ length: conns }, async () => {
      const ws = new WebSocket(url, { headers: { 'x-api-key': KEY }, perMessageDeflate: false });
      await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
      let waiting;
      ws.on('message', () => waiting?.());
      return (k) =>
        new Promise((resolve) => {
          waiting = resolve;
          ws.send(frames[k % frames.length]);
        });
    }),
  );
}

async function sdkConns(url, pool, conns = CONNS) {
  const { createLogger } = await import(SDK);
  return Promise.all(
    Array.from({ length: conns }, async () => {
      const logger = createLogger({
        url,
        apiKey: KEY,
        project: 'b',
        system: 's',
        batchSize: BATCH,
      });
      await new Promise((r) => logger.on('connected', r));
      return async (k) => {
        const from = (k * BATCH) % pool.length;
        for (let i = 0; i < BATCH; i++) void logger.log(pool[from + i]);
        await logger.flush();
      };
    }),
  );
}

// ---------------------------------------------------------------- orchestration

/** utime + stime of `pid` in µs (/proc, clock ticks of 10 ms). */
function cpuUs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

/** Runs `fn` (returning `acked` entries) and adds the server's CPU µs per entry meanwhile. */
async function measured(pid, fn) {
  const before = cpuUs(pid);
  const result = await fn();
  const acked = result.acked ?? result.entriesAcked;
  return { ...result, serverUsPerEntry: Math.round(((cpuUs(pid) - before) / acked) * 100) / 100 };
}

/** Runs this script in `modeName` (its own process); resolves with the JSON it prints last. */
function child(modeName, args) {
  const run = spawn(
    process.execPath,
    [fileURLToPath(import.meta.url), '--mode', modeName, '--args', JSON.stringify(args)],
    { stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 },
  );
  let out = '';
  let err = '';
  run.stdout.on('data', (d) => (out += d));
  run.stderr.on('data', (d) => (err += d));
  return new Promise((resolve, reject) =>
    run.once('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out.trim().split('\n').pop()))
        : reject(new Error(`${modeName} failed: ${err.slice(-2000)}`)),
    ),
  );
}

function loadgen(url, pid) {
  const run = spawnSync(
    process.execPath,
    [
      path.join(BENCH, 'loadgen.mjs'),
      ...['--url', url, '--key', KEY, '--connections', String(CONNS)],
      ...['--entries', String(ENTRIES), '--batch', String(BATCH), '--window', '32'],
      ...['--pid', String(pid), '--json'],
    ],
    { encoding: 'utf8', timeout: 300_000 },
  );
  if (run.status !== 0) throw new Error(`loadgen failed: ${run.stderr.slice(-2000)}`);
  return JSON.parse(run.stdout.trim().split('\n').pop());
}

async function withService(fn) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-sdk-'));
  const port = 3900 + Math.floor(Math.random() * 500);
  const service = spawn(process.execPath, [path.join(ROOT, 'dist/main.js')], {
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
    for (let i = 0; i < 200 && !(await live(port)); i++) await sleep(50);
    return await fn(`ws://127.0.0.1:${port}/ws`, service.pid);
  } finally {
    service.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

function live(port) {
  return new Promise((resolve) =>
    request(`http://127.0.0.1:${port}/health/live`, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    })
      .on('error', () => resolve(false))
      .end(),
  );
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows = [];
for (let run = 0; run < RUNS; run++) {
  rows.push(
    await withService(async (url, pid) => {
      const raw = await measured(pid, () => loadgen(url, pid));
      const sdk = await measured(pid, () => child('flood', { url, entries: ENTRIES }));
      const producer = await measured(pid, () =>
        child('flood', { url, entries: ENTRIES, producer: true }),
      );
      const rate = Math.round(raw.entriesPerS / 2);
      // Side by side, half of the connections and of the rate each: both see the same machine.
      const half = { url, rate: rate / 2, durationS: DURATION_S, conns: CONNS / 2 };
      const [rawLat, sdkLat] = await Promise.all([
        child('paced', { ...half, via: 'raw' }),
        child('paced', { ...half, via: 'sdk' }),
      ]);
      const serialLat = await child('serial', { url, bursts: 1000 });
      const row = { raw: raw.entriesPerS, sdk: sdk.entriesPerS, producer: producer.entriesPerS };
      Object.assign(row, {
        serialRawP50: serialLat.rawP50,
        serialRawP99: serialLat.rawP99,
        serialSdkP50: serialLat.sdkP50,
        serialSdkP99: serialLat.sdkP99,
      });
      Object.assign(row, { rate, rawP99: rawLat.p99, sdkP99: sdkLat.p99 });
      Object.assign(row, { rawP50: rawLat.p50, sdkP50: sdkLat.p50, load: os.loadavg()[0] });
      Object.assign(row, {
        rawServerUs: raw.serverUsPerEntry,
        sdkServerUs: sdk.serverUsPerEntry,
        producerServerUs: producer.serverUsPerEntry,
        rawClientUs: Math.round((raw.loadgenCpuPct / 100) * (1e6 / raw.entriesPerS) * 100) / 100,
        sdkClientUs: sdk.clientUsPerEntry,
        producerClientUs: producer.clientUsPerEntry,
      });
      console.error(`run ${run + 1}: ${JSON.stringify(row)}`);
      return row;
    }),
  );
}

const m = (k) => median(rows.map((r) => r[k]));
const fixed = (x, d = 2) => x.toFixed(d);
console.log(
  `\nSDK bench (${RUNS} runs, medians; load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')})`,
);
console.log('| figure | value | issue asks |');
console.log('|---|---|---|');
console.log(`| loadgen batch-50 entries/s | ${m('raw')} | |`);
console.log(
  `| SDK entries/s (ratio to loadgen) | ${m('sdk')} (${fixed(median(rows.map((r) => r.sdk / r.raw)))}) | ≥ 0.9 |`,
);
console.log(
  `| SDK with producerId entries/s (ratio to without) | ${m('producer')} (${fixed(median(rows.map((r) => r.producer / r.sdk)))}) | ≥ 0.9 |`,
);
console.log(
  `| server CPU µs/entry: loadgen / SDK / SDK+producerId | ${m('rawServerUs')} / ${m('sdkServerUs')} / ${m('producerServerUs')} | |`,
);
console.log(
  `| client CPU µs/entry: loadgen / SDK / SDK+producerId | ${m('rawClientUs')} / ${m('sdkClientUs')} / ${m('producerClientUs')} | |`,
);
console.log(`| half load (entries/s) | ${m('rate')} | |`);
console.log(`| ack time p50 raw / SDK (ms) | ${m('rawP50')} / ${m('sdkP50')} | |`);
console.log(
  `| ack time p99 raw / SDK (ms), SDK adds | ${m('rawP99')} / ${m('sdkP99')}, ${fixed(median(rows.map((r) => r.sdkP99 - r.rawP99)))} | ≤ 1 ms |`,
);
console.log(
  `| ack time, one connection, bursts back to back, p50 raw / SDK (ms) | ${m('serialRawP50')} / ${m('serialSdkP50')} | |`,
);
console.log(
  `| the same, p99 raw / SDK (ms), SDK adds | ${m('serialRawP99')} / ${m('serialSdkP99')}, ${fixed(median(rows.map((r) => r.serialSdkP99 - r.serialRawP99)))} | ≤ 1 ms |`,
);
