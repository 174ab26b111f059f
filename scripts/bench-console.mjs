#!/usr/bin/env node
// The web console under load (issue 12), on the built service (`npm run build` first): one
// headless Chromium tab signed in to /console with an unfiltered live tail, while a producer
// stores --rate entries/s (default 1,000) for --minutes (default 10). Measured in the page:
//  - the longest frame: the longest gap between two requestAnimationFrame callbacks, over the run;
//  - long animation frames and long tasks (PerformanceObserver, both only report > 50 ms);
//  - a Chromium performance trace (CDP Tracing, devtools.timeline) of the last --trace-s seconds
//    (default 20), written to bench-results/console-trace.json (open it in DevTools' Performance
//    panel), and its longest main-thread task;
//  - the JS heap (CDP Performance.getMetrics) every minute, and at the end before and after a GC;
//    DOM nodes likewise, to show the 500-row cap holds.
// Prints a Markdown table and writes bench-results/console.json; exits non-zero only on errors.
//
//   node scripts/bench-console.mjs [--minutes 10] [--rate 1000] [--trace-s 20] [--main dist/main.js]
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import WebSocket from 'ws';

/* global fetch, requestAnimationFrame, PerformanceObserver, document, performance */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MAIN = path.resolve(option('main', path.join(ROOT, 'dist/main.js')));
const MINUTES = Number(option('minutes', '10'));
const RATE = Number(option('rate', '1000'));
const TRACE_S = Number(option('trace-s', '20'));
const KEY = 'bench-console-service-key';
const READER_KEY = 'bench-console-reader-key';
/** The same flags as the e2e specs (test/support/chromium.ts): Debian's Chromium, headless. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const TICK_MS = 50;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : process.argv[i + 1];
}

async function freePort() {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  await new Promise((r) => server.close(r));
  return port;
}

/** Starts the service on a free port; asks again when another process took the port first. */
async function startService() {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startServiceOnce();
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
}

async function startServiceOnce() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-console-'));
  const port = await freePort();
  const child = spawn(process.execPath, [MAIN], {
    cwd: dir,
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_DIR: path.join(dir, 'logs'),
      SPOOL_DIR: path.join(dir, 'spool'),
      API_KEYS: `bench:${KEY}`,
      READ_API_KEYS: `reader:${READER_KEY}`,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  let exited = false;
  child.once('exit', () => (exited = true));
  for (let i = 0; i < 200 && !exited; i++) {
    const ok = await fetch(`${url}/health/live`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { child, url, port, dir };
    await sleep(50);
  }
  child.kill('SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
  throw new Error('the service did not come up');
}

const LEVELS = [
  'info',
  'info',
  'info',
  'info',
  'info',
  'info',
  'info',
  'warning',
  'warning',
  'error',
];
const SYSTEMS = ['frontend', 'backend', 'worker'];
const MODULES = ['Login', 'Cart', 'Checkout', 'Pay', 'Search', 'Invoice'];

/** Stores RATE entries/s in batches every TICK_MS over one socket; resolves once stopped and acked. */
function produce(wsUrl) {
  const ws = new WebSocket(`${wsUrl}?apiKey=${KEY}`, { perMessageDeflate: false });
  let seq = 0;
  let sent = 0;
  let acked = 0;
  let timer;
  let carry = 0;
  const started = once(ws, 'open').then(() => {
    const perTick = (RATE * TICK_MS) / 1000;
    timer = setInterval(() => {
      carry += perTick;
      const n = Math.floor(carry);
      carry -= n;
      const entries = [];
      for (let i = 0; i < n; i++, sent++) {
        const level = LEVELS[sent % LEVELS.length];
        entries.push({
          correlationId: `req-${Math.floor(sent / 4)}`,
          level,
          project: `shop-${sent % 5}`,
          system: SYSTEMS[sent % SYSTEMS.length],
          module: MODULES[sent % MODULES.length],
          action: 'handle',
          ...(level === 'error'
            ? {
                errorType: 'upstream',
                errorCode: 502,
                errorMessage: 'the bank did not answer in time',
              }
            : {}),
        });
      }
      if (n > 0) ws.send(JSON.stringify({ event: 'batch', data: { seq: ++seq, entries } }));
    }, TICK_MS);
  });
  ws.on('message', (data) => {
    const frame = JSON.parse(String(data));
    if (frame.event === 'ack') acked += frame.data.accepted;
  });
  return {
    started,
    stats: () => ({ sent, acked }),
    async stop() {
      clearInterval(timer);
      for (let i = 0; i < 100 && acked < sent; i++) await sleep(50);
      ws.close();
    },
  };
}

/** Installed before the page's own scripts: frame gaps, long animation frames, long tasks. */
function pageProbe() {
  const probe = {
    maxFrameMs: 0,
    frames: 0,
    loaf: { count: 0, maxMs: 0 },
    longtask: { count: 0, maxMs: 0 },
    /** [start, duration] of the first 200 stalls over 50 ms: frame gaps and long tasks. */
    stalls: [],
  };
  const stall = (start, ms) => {
    if (ms > 50 && probe.stalls.length < 200) probe.stalls.push([start, ms]);
  };
  globalThis.__probe = probe;
  let last = 0;
  const tick = (t) => {
    if (last !== 0) {
      probe.maxFrameMs = Math.max(probe.maxFrameMs, t - last);
      stall(last, t - last);
    }
    last = t;
    probe.frames++;
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  for (const [type, into] of [
    ['long-animation-frame', probe.loaf],
    ['longtask', probe.longtask],
  ]) {
    try {
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) {
          into.count++;
          into.maxMs = Math.max(into.maxMs, e.duration);
          stall(e.startTime, e.duration);
        }
      }).observe({ type, buffered: true });
    } catch {
      into.unsupported = true;
    }
  }
}

async function metrics(cdp) {
  const { metrics: list } = await cdp.send('Performance.getMetrics');
  const get = (name) => list.find((m) => m.name === name)?.value ?? 0;
  return { heapMB: get('JSHeapUsedSize') / 2 ** 20, nodes: get('Nodes') };
}

/** Records a devtools.timeline trace for `seconds`; returns its events. */
async function trace(cdp, seconds) {
  const events = [];
  cdp.on('Tracing.dataCollected', ({ value }) => events.push(...value));
  await cdp.send('Tracing.start', {
    categories: 'toplevel,devtools.timeline,disabled-by-default-devtools.timeline.frame',
    transferMode: 'ReportEvents',
  });
  await sleep(seconds * 1000);
  const done = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.end');
  await done;
  return events;
}

/**
 * The page's main-thread (CrRendererMain) tasks in a trace: the longest by wall time (what a
 * user waits) and by thread CPU time (`tdur`: what the page itself costs, without the time the
 * OS gave other processes on a loaded machine), and the CPU share of the traced span, in ms.
 */
function mainTasks(events, seconds) {
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  const out = { longestWallMs: 0, longestCpuMs: 0, cpuShare: 0 };
  let cpu = 0;
  for (const e of events) {
    if (e.ph !== 'X' || !e.name.endsWith('RunTask') || e.dur === undefined) continue;
    if (main && (e.pid !== main.pid || e.tid !== main.tid)) continue;
    out.longestWallMs = Math.max(out.longestWallMs, e.dur / 1000);
    out.longestCpuMs = Math.max(out.longestCpuMs, (e.tdur ?? 0) / 1000);
    cpu += (e.tdur ?? 0) / 1e6;
  }
  out.cpuShare = cpu / seconds;
  return out;
}

const CHROMIUM = '/usr/bin/chromium';
if (!fs.existsSync(CHROMIUM)) {
  // The test command apt-installs it (scripts/test.sh); a bench never installs anything.
  console.error(`bench-console: ${CHROMIUM} not found: apt-get install chromium (Debian's)`);
  process.exit(1);
}
const service = await startService();
const browser = await chromium
  .launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
  .catch(async (error) => {
    await service.stop();
    throw error;
  });
let producer;
try {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await page.addInitScript(pageProbe);
  await page.goto(`${service.url}/console`);
  await page.getByTestId('key-input').fill(READER_KEY);
  await page.getByTestId('connect').click();
  await page.waitForFunction(() => document.getElementById('tail')?.dataset.subscribed === '{}');
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');

  producer = produce(`ws://127.0.0.1:${service.port}/ws`);
  await producer.started;
  const samples = [];
  const started = Date.now();
  const endAt = started + MINUTES * 60_000;
  const traceAt = endAt - TRACE_S * 1000;
  /** [from, to] in the page's clock around the bench's own CDP calls, which stall the page. */
  const own = [];
  const pageNow = () => page.evaluate(() => performance.now());
  const measured = async (call) => {
    const from = await pageNow();
    const value = await call();
    own.push([from, (await pageNow()) + 100]);
    return value;
  };
  while (Date.now() < traceAt) {
    await sleep(Math.min(60_000, traceAt - Date.now()));
    const m = await measured(() => metrics(cdp));
    samples.push({ minute: (Date.now() - started) / 60_000, ...m, ...producer.stats() });
    console.error(
      `bench-console: ${samples.at(-1).minute.toFixed(1)} min, heap ${m.heapMB.toFixed(1)} MB, ${m.nodes} nodes, ${producer.stats().acked} stored`,
    );
  }
  const traceSeconds = Math.max(1, (endAt - Date.now()) / 1000);
  const traceFrom = await pageNow();
  const events = await trace(cdp, traceSeconds);
  // The trace's start, and its end: Tracing.end stalls the page for seconds while it hands over
  // the events, before tracingComplete.
  own.push([traceFrom, traceFrom + 1000], [traceFrom + traceSeconds * 1000 - 500, Infinity]);
  const tasks = mainTasks(events, traceSeconds);
  fs.mkdirSync(path.join(ROOT, 'bench-results'), { recursive: true });
  fs.writeFileSync(
    path.join(ROOT, 'bench-results/console-trace.json'),
    JSON.stringify({ traceEvents: events }),
  );
  const probe = await page.evaluate(() => globalThis.__probe);
  // A stall that overlaps one of the bench's own CDP calls is the bench's, not the page's.
  const ours = ([start, ms]) => own.some(([from, to]) => start < to && start + ms > from);
  const pageStalls = probe.stalls.filter((s) => !ours(s));
  const rows = await page.getByTestId('tail-row').count();
  const end = await metrics(cdp);
  await cdp.send('HeapProfiler.collectGarbage');
  const afterGc = await metrics(cdp);
  await producer.stop();
  const result = {
    minutes: MINUTES,
    rate: RATE,
    stored: producer.stats().acked,
    rows,
    longestFrameMs: Math.round(probe.maxFrameMs),
    frames: probe.frames,
    longAnimationFrames: probe.loaf,
    longTasks: probe.longtask,
    stalls: { all: probe.stalls.length, ownCalls: own.length, outsideOwnCalls: pageStalls },
    traceLongestTaskMs: Math.round(tasks.longestWallMs * 10) / 10,
    traceLongestTaskCpuMs: Math.round(tasks.longestCpuMs * 10) / 10,
    traceMainThreadCpuShare: Math.round(tasks.cpuShare * 1000) / 1000,
    heapMB: Math.round(end.heapMB * 10) / 10,
    heapAfterGcMB: Math.round(afterGc.heapMB * 10) / 10,
    heapPeakSampleMB: Math.round(Math.max(end.heapMB, ...samples.map((s) => s.heapMB)) * 10) / 10,
    domNodes: end.nodes,
    samples,
    loadavg: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
  fs.writeFileSync(path.join(ROOT, 'bench-results/console.json'), JSON.stringify(result, null, 2));
  console.log(
    `\n### Web console: ${RATE} entries/s for ${MINUTES} min (load average ${result.loadavg.join(' ')})\n`,
  );
  console.log('| figure | value | target |');
  console.log('| --- | --- | --- |');
  console.log(`| longest frame (rAF gap, whole run) | ${result.longestFrameMs} ms | < 50 ms |`);
  const longestPage = Math.round(Math.max(0, ...pageStalls.map(([, ms]) => ms)));
  console.log(
    `| stalls > 50 ms (frame gaps and long tasks) / of them outside the bench's own ${own.length} CDP calls (longest) | ${probe.stalls.length} / ${pageStalls.length} (${longestPage} ms) | 0 |`,
  );
  console.log(
    `| long animation frames > 50 ms | ${probe.loaf.count} (longest ${Math.round(probe.loaf.maxMs)} ms) | 0 |`,
  );
  console.log(
    `| long tasks > 50 ms | ${probe.longtask.count} (longest ${Math.round(probe.longtask.maxMs)} ms) | 0 |`,
  );
  console.log(
    `| trace of the last ${TRACE_S} s: longest main-thread task, wall (its CPU time) | ${result.traceLongestTaskMs} ms (${result.traceLongestTaskCpuMs} ms CPU) | < 50 ms |`,
  );
  console.log(
    `| trace: page main-thread CPU | ${Math.round(result.traceMainThreadCpuShare * 100)} % of one core | |`,
  );
  console.log(
    `| JS heap at the end (after a GC) | ${result.heapMB} MB (${result.heapAfterGcMB} MB) | < 100 MB |`,
  );
  console.log(`| JS heap, highest per-minute sample | ${result.heapPeakSampleMB} MB | < 100 MB |`);
  console.log(`| DOM nodes at the end / tail rows | ${result.domNodes} / ${rows} | bounded |`);
  console.log(`| entries stored | ${result.stored} | ${RATE * MINUTES * 60} |`);
} finally {
  await producer?.stop().catch(() => undefined);
  await browser.close();
  service.child.kill('SIGTERM');
  await once(service.child, 'exit');
  fs.rmSync(service.dir, { recursive: true, force: true });
}
