#!/usr/bin/env node
// GET /logs on `postgres` storage with --rows (1M) stored entries (issue 9: p99 ≤ 20 ms for
// `?correlationId=`). A throwaway PostgreSQL gets the postgres sink's own DDL and INSERT
// (imported from dist, not copied) with realistic entries in SPEC form: request chains of 1..20
// entries sharing a correlationId, spread over --days days. Then the built service runs with
// STORAGE=postgres and keep-alive clients ask:
//   (a) `?correlationId=` for random existing ids (each answer checked against what was loaded),
//   (b) `?project=&level=&limit=100`, following `next` for --pages pages.
// Latencies are per request, client side, after a warm-up; EXPLAIN ANALYZE of the service's own
// SQL (buildPageSql) shows the indexes used.
//
//   npm run build && node scripts/bench-query.mjs [--rows 1000000] [--requests 5000]
//     [--clients 4] [--pages 5] [--days 7]
import { Agent, request } from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { freePort, spawnTracked, startPostgres, stop, waitFor } from './bench-servers.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BENCH = path.resolve(ROOT, '../shared/bench');
// tsc's output (the bundle's input, scripts/bundle.mjs): its modules can be imported one by one.
const DIST = path.join(ROOT, 'dist/app');
const { createRandom, makeEntry } = await import(path.join(BENCH, 'entries.mjs'));
const { CREATE_SCHEMA_SQL, INSERT_SQL } = await import(
  path.join(DIST, 'storage/sinks/postgres.schema.js')
);
const { buildPageSql } = await import(path.join(DIST, 'query/postgres-query.util.js'));
const { decodePostgresCursor } = await import(path.join(DIST, 'query/postgres-cursor.util.js'));
const { serializeEntry } = await import(path.join(DIST, 'contract/serialize-entry.util.js'));

const opt = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
};
const ROWS = opt('rows', 1_000_000);
const REQUESTS = opt('requests', 5000);
const CLIENTS = opt('clients', 4);
const PAGES = opt('pages', 5);
const DAYS = opt('days', 7);
const WARMUP = 200;
const INSERT_BATCH = 5000;
const KEY = 'bench-reader-secret';
const PROJECTS = ['absences', 'payroll', 'timesheets', 'recruiting', 'expenses', 'documents'];

/** Loads ROWS entries with the sink's INSERT; returns correlationId → its entry count. */
async function load(url) {
  const random = createRandom(7);
  const chains = new Map();
  const session = { user: 'bench', timestamp: new Date().toISOString(), ipaddress: '10.0.0.1' };
  const start = Date.now() - DAYS * 86_400_000;
  let n = 0;
  let chain = 0;
  // Batches are made as the writers ask for them: 1M entries held at once would be ~0.5 GB.
  const nextBatch = () => {
    const lines = [];
    const ids = [];
    while (n < ROWS && lines.length < INSERT_BATCH) {
      const size = Math.min(1 + Math.floor(random() * 20), ROWS - n);
      const at = start + Math.floor(random() * DAYS * 86_400_000);
      // The generator's own ids (UUIDs, W3C traceparents), made unique by the chain number.
      const correlationId = `${makeEntry(random, at).correlationId ?? 'req'}-${(chain++).toString(36)}`;
      for (let i = 0; i < size; i++, n++) {
        const entry = { ...makeEntry(random, at + i * 40), correlationId };
        lines.push(serializeEntry(entry, new Date(at).toISOString(), session));
        ids.push(`bench.${n}`);
      }
      chains.set(correlationId, size);
    }
    return lines.length === 0 ? null : [lines.join('\n'), ids.join('\n')];
  };

  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(CREATE_SCHEMA_SQL);
  const started = performance.now();
  // Two writers, as the sink's pool would; each batch one statement of the sink's own INSERT.
  await Promise.all(
    [0, 1].map(async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      for (let b = nextBatch(); b !== null; b = nextBatch()) await c.query(INSERT_SQL, b);
      await c.end();
    }),
  );
  const loadS = (performance.now() - started) / 1000;
  await admin.query('VACUUM ANALYZE log_entries'); // what autovacuum does after a bulk load
  const size = await admin.query(
    "SELECT pg_size_pretty(pg_total_relation_size('log_entries')) AS total, count(*) AS n FROM log_entries",
  );
  await admin.end();
  console.log(
    `loaded ${size.rows[0].n} rows (${chains.size} correlationIds, 1..20 entries each) in ` +
      `${loadS.toFixed(1)} s, table + indexes ${size.rows[0].total}`,
  );
  return chains;
}

function get(agent, port, query) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = request(
      { host: '127.0.0.1', port, path: `/logs?${query}`, agent, headers: { 'x-api-key': KEY } },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const ms = performance.now() - t0;
          if (res.statusCode !== 200) {
            reject(new Error(`GET /logs?${query}: ${res.statusCode} ${Buffer.concat(chunks)}`));
          } else resolve({ ms, body: JSON.parse(Buffer.concat(chunks).toString()) });
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const pct = (sorted, p) =>
  sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
function summary(ms) {
  const s = [...ms].sort((a, b) => a - b);
  const f = (x) => x.toFixed(1);
  return { n: s.length, p50: f(pct(s, 50)), p99: f(pct(s, 99)), max: f(s.at(-1)) };
}

/** Runs `count` jobs over CLIENTS concurrent keep-alive clients; returns the latencies. */
async function run(count, job) {
  const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
  const ms = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (next < count) {
        const i = next++;
        for (const t of await job(agent, i)) if (i >= WARMUP) ms.push(t);
      }
    }),
  );
  agent.destroy();
  return ms;
}

/** utime + stime of `pid` in ms (/proc/PID/stat, clock ticks of 10 ms). */
function cpuMs(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const [utime, stime] = stat
    .slice(stat.lastIndexOf(')') + 2)
    .split(' ')
    .slice(11, 13);
  return (Number(utime) + Number(stime)) * 10;
}

/** The job's latencies and the service's CPU ms per request over it. */
async function measured(pid, requests, fn) {
  const before = cpuMs(pid);
  const result = await fn();
  return { ...result, cpuPerRequest: ((cpuMs(pid) - before) / requests).toFixed(2) };
}

async function correlationRun(port, chains) {
  const ids = [...chains.keys()];
  const random = createRandom(11);
  let wrong = 0;
  const ms = await run(REQUESTS + WARMUP, async (agent) => {
    const id = ids[Math.floor(random() * ids.length)];
    const { ms, body } = await get(agent, port, `correlationId=${encodeURIComponent(id)}`);
    if (body.entries.length !== chains.get(id) || body.next !== null) wrong++;
    return [ms];
  });
  return { ...summary(ms), wrong };
}

async function pagedRun(port) {
  const random = createRandom(13);
  const levels = ['info', 'warning', 'error'];
  let short = 0;
  const pageMs = [];
  const ms = await run(Math.ceil(REQUESTS / PAGES) + WARMUP, async (agent) => {
    const base = `project=${PROJECTS[Math.floor(random() * PROJECTS.length)]}&level=${
      levels[Math.floor(random() * 3)]
    }&limit=100`;
    const times = [];
    let cursor = null;
    for (let p = 0; p < PAGES; p++) {
      const q = cursor === null ? base : `${base}&cursor=${encodeURIComponent(cursor)}`;
      const { ms, body } = await get(agent, port, q);
      times.push(ms);
      if (body.entries.length !== 100) short++;
      cursor = body.next;
      if (cursor === null) break;
    }
    pageMs.push(times);
    return times;
  });
  const deep = pageMs.filter((t) => t.length === PAGES).map((t) => t[PAGES - 1]);
  return { ...summary(ms), short, deepest: summary(deep.slice(WARMUP)) };
}

/** EXPLAIN ANALYZE of the service's own SQL for one correlationId and for a deep page. */
async function explain(url, port, chains) {
  const c = new pg.Client({ connectionString: url, options: '-c TimeZone=UTC' });
  await c.connect();
  const show = async (title, query, cursor = null) => {
    const { text, values } = buildPageSql(query, cursor);
    const { rows } = await c.query(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${text}`, values);
    console.log(`\nEXPLAIN ANALYZE, ${title}:`);
    for (const r of rows) console.log(`  ${r['QUERY PLAN']}`);
  };
  const id = [...chains.keys()][Math.floor(chains.size / 2)];
  await show('?correlationId=', { correlationId: id, limit: 100 });
  const agent = new Agent({ keepAlive: true });
  let cursor = null;
  const q = { project: 'payroll', level: 'error', limit: 100 };
  for (let p = 1; p < PAGES; p++) {
    const suffix = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
    cursor = (await get(agent, port, `project=payroll&level=error&limit=100${suffix}`)).body.next;
  }
  agent.destroy();
  await show('?project=&level=&limit=100, first page', q);
  if (cursor !== null) {
    await show(`the same, page ${PAGES} (cursor)`, q, decodePostgresCursor(cursor));
  }
  await c.end();
}

const postgres = await startPostgres(['-c', 'fsync=off']);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-query-'));
let service;
try {
  const chains = await load(postgres.url);
  const port = await freePort();
  service = spawnTracked(process.execPath, [path.join(DIST, 'main.js')], {
    cwd: dir,
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      HOST: '127.0.0.1',
      STORAGE: 'postgres',
      DATABASE_URL: postgres.url,
      READ_API_KEYS: `bench:${KEY}`,
      LOG_DIR: path.join(dir, 'logs'),
      SPOOL_DIR: path.join(dir, 'spool'),
      LOG_LEVEL: 'warn',
    },
  });
  await waitFor(port, 'service');
  await explain(postgres.url, port, chains);
  const load1 = os.loadavg()[0].toFixed(2);
  const a = await measured(service.pid, REQUESTS + WARMUP, () => correlationRun(port, chains));
  const pagedRequests = (Math.ceil(REQUESTS / PAGES) + WARMUP) * PAGES;
  const b = await measured(service.pid, pagedRequests, () => pagedRun(port));
  const load2 = os.loadavg()[0].toFixed(2);
  console.log(`\nGET /logs on postgres, ${ROWS} rows, ${CLIENTS} keep-alive clients (ms):`);
  console.log('| query | requests | p50 | p99 | max | service CPU ms/request | check |');
  console.log('|---|---|---|---|---|---|---|');
  console.log(
    `| ?correlationId= (1..20 entries) | ${a.n} | ${a.p50} | ${a.p99} | ${a.max} | ${a.cpuPerRequest} | ${a.wrong === 0 ? 'all counts right' : `${a.wrong} WRONG`} |`,
  );
  console.log(
    `| ?project=&level=&limit=100, pages 1..${PAGES} via next | ${b.n} | ${b.p50} | ${b.p99} | ${b.max} | ${b.cpuPerRequest} | ${b.short === 0 ? 'all pages full' : `${b.short} short pages`} |`,
  );
  console.log(
    `| the same, page ${PAGES} only | ${b.deepest.n} | ${b.deepest.p50} | ${b.deepest.p99} | ${b.deepest.max} | | |`,
  );
  console.log(`load average (1 min) before/after: ${load1} / ${load2}; target p99 ≤ 20 ms`);
} finally {
  if (service) await stop(service);
  await postgres.stopServer();
  fs.rmSync(postgres.dir, { recursive: true, force: true });
  fs.rmSync(dir, { recursive: true, force: true });
}
