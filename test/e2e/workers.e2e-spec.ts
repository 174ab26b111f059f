import { jest } from '@jest/globals';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  openOn,
  openSpread as spread,
  servingPids,
  startCluster as cluster,
  waitForWorkers,
  workerPids,
} from '../support/cluster-workers.js';
import { batchFrame, logFrame, validEntry, type EntryInput } from '../support/entries.js';
import { freePort } from '../support/free-port.js';
import { httpGet } from '../support/http-get.js';
import { httpRequest } from '../support/http-request.js';
import { parsePrometheus, sampleValue } from '../support/prometheus.js';
import {
  READER_KEY,
  SERVICE_KEY,
  spawnService,
  stopAllServices,
} from '../support/service-process.js';
import { byCorrelationId, readStored, readStoredFiles } from '../support/stored.js';
import { pushedLogs, subscribe, until } from '../support/tail-client.js';
import {
  openClient,
  terminateAllClients,
  tryUpgrade,
  type WsClient,
} from '../support/ws-client.js';

/**
 * WORKERS=2 without Redis (README "Workers"): every SPEC behaviour of one process holds for the
 * instance, whichever worker a connection lands on. Connections are checked to span both workers
 * (by the pid holding their server socket), so no test passes by landing on one.
 */

jest.setTimeout(90_000);

const ingest = { 'x-api-key': SERVICE_KEY.key };
const reader = { 'x-api-key': READER_KEY.key };

afterEach(async () => {
  terminateAllClients();
  await stopAllServices();
});

/** Big entries, so that one group is a write of many pages: interleaving would show. */
const bigEntries = (prefix: string, from: number, count: number): EntryInput[] =>
  Array.from({ length: count }, (_, i) =>
    validEntry({ correlationId: `${prefix}${from + i}`, errorMessage: 'x'.repeat(1500) }),
  );

/** What is wrong with connection `prefix`'s entries in `stored`: each once, in send order. */
function problemsOf(stored: readonly string[], prefix: string, expected: readonly string[]) {
  const mine = stored.filter((id) => id.startsWith(prefix));
  return mine.join() === expected.join()
    ? []
    : [`${prefix}: ${mine.length} stored, ${expected.length} acked, or out of order`];
}

/**
 * Keeps 4 batches of 5 in flight on `client` until `stop.now` or the socket closes; the acked
 * correlationIds in ack order. Any reply but an ack fails.
 */
async function drive(client: WsClient, prefix: string, stop: { now: boolean }): Promise<string[]> {
  const sent: string[][] = [];
  let n = 0;
  try {
    while (!stop.now) {
      while (sent.length - client.replies.length < 4) {
        const ids = Array.from({ length: 5 }, () => `${prefix}${n++}`);
        sent.push(ids);
        client.send(
          batchFrame(
            sent.length,
            ids.map((id) => validEntry({ correlationId: id })),
          ),
        );
      }
      await client.next(client.replies.length + 1, 30_000);
      await sleep(5);
    }
    await client.next(sent.length, 30_000);
  } catch {
    // The socket closed (its worker was killed): what was acked before is the result.
  }
  return client.replies.flatMap((reply, i) => {
    if (reply.event !== 'ack' || reply.data.accepted !== 5) {
      throw new Error(`${prefix} frame ${i} was answered ${JSON.stringify(reply)}`);
    }
    return sent[i];
  });
}

describe.each(['never', 'always'])('the day file under load, FSYNC=%s', (fsync) => {
  it('holds whole lines only: every acked entry once, in ack order per connection', async () => {
    const service = await cluster({ FSYNC: fsync });
    const clients = await spread(service, 8);
    const plans = clients.map((_, c) =>
      Array.from({ length: 40 }, (_, b) => bigEntries(`il-c${c}-`, b * 20, 20)),
    );
    clients.forEach((client, c) =>
      plans[c].forEach((entries, b) => client.send(batchFrame(b + 1, entries))),
    );
    await Promise.all(clients.map((client) => client.next(40, 60_000)));

    const exit = await service.stop('SIGTERM');

    expect(exit).toEqual({ code: 0, signal: null });
    // Ack order per connection (SPEC §3): a connection lives in one worker.
    for (const client of clients) {
      expect(client.replies.map((r) => [r.event, r.data.seq, r.data.accepted])).toEqual(
        Array.from({ length: 40 }, (_, b) => ['ack', b + 1, 20]),
      );
    }
    const files = await readStoredFiles(service.logDir);
    expect(files.flatMap((f) => f.unparseable)).toEqual([]);
    const stored = files.flatMap((f) => f.entries.map((e) => e.correlationId));
    expect(stored).toHaveLength(8 * 40 * 20);
    const problems = plans.flatMap((plan, c) =>
      problemsOf(
        stored,
        `il-c${c}-`,
        plan.flat().map((e) => e.correlationId!),
      ),
    );
    expect(problems).toEqual([]);
  });
});

describe('supervision', () => {
  it('restarts a worker killed with -9 under load; nothing acked is lost; it keeps serving', async () => {
    const service = await cluster();
    const clients = await spread(service, 6);
    const before = workerPids(service);
    const victim = before[0];
    const onVictim = servingPids(service, clients).map((pid) => pid === victim);
    const stop = { now: false };
    const loads = clients.map((client, c) => drive(client, `k9-c${c}-`, stop));
    await Promise.all(clients.map((client) => client.next(3, 20_000)));

    process.kill(victim, 'SIGKILL');
    const fresh = (await waitForWorkers(service, 2, [victim])).find((p) => !before.includes(p))!;
    const late = await openOn(service, fresh);
    const lateEntries = Array.from({ length: 10 }, (_, i) =>
      validEntry({ correlationId: `k9-late-${i}` }),
    );
    late.send(batchFrame(1, lateEntries));
    const [lateAck] = await late.next(1, 20_000);
    stop.now = true;
    const acked = await Promise.all(loads);
    const exit = await service.stop('SIGTERM');

    expect(lateAck.data.accepted).toBe(10);
    expect(exit).toEqual({ code: 0, signal: null });
    // The victim's connections were cut, the others' ran on; all had acks before the kill.
    expect(onVictim.some(Boolean)).toBe(true);
    expect(acked.every((ids) => ids.length >= 15)).toBe(true);
    const stored = (await readStored(service.logDir)).map((e) => e.correlationId);
    // Stored are the acked ones in order, then maybe some whose ack the kill cut off (SPEC §3:
    // the client resends those), never one twice.
    const problems = acked.flatMap((ids, c) => {
      const mine = stored.filter((id) => id.startsWith(`k9-c${c}-`));
      const ok =
        mine.slice(0, ids.length).join() === ids.join() && new Set(mine).size === mine.length;
      return ok ? [] : [`connection ${c}: ${ids.length} acked, ${mine.length} stored`];
    });
    expect(problems).toEqual([]);
    expect(stored.filter((id) => id.startsWith('k9-late-'))).toHaveLength(10);
  });

  it('on SIGTERM of the primary every worker drains: all sent is acked and stored, 1012, exit 0', async () => {
    const service = await cluster();
    const clients = await spread(service, 6);
    const plans = clients.map(() => Array.from({ length: 1500 }, () => validEntry()));
    clients.forEach((client, c) => plans[c].forEach((entry) => client.send(logFrame(entry))));
    await Promise.all(clients.map((client) => client.next(1)));

    const exit = await service.stop('SIGTERM');
    const codes = await Promise.all(clients.map((client) => client.closed));

    expect(exit).toEqual({ code: 0, signal: null });
    expect(codes).toEqual(clients.map(() => 1012));
    expect(clients.map((client) => client.replies.length)).toEqual(clients.map(() => 1500));
    const index = byCorrelationId(await readStored(service.logDir));
    const ids = plans.flat().map((e) => e.correlationId!);
    expect(ids.filter((id) => index.get(id)?.length !== 1)).toEqual([]);
  });

  it('exits 1 at once when its workers cannot start (the port is taken)', async () => {
    const holder = createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => holder.listen(port, '127.0.0.1', resolve));
    const second = await spawnService({ env: { WORKERS: '2', PORT: String(port) } });
    const exit = await second.waitForExit(30_000).finally(() => holder.close());

    expect(exit).toEqual({ code: 1, signal: null });
    expect(second.stderr).toMatch(/EADDRINUSE/);
    expect(second.stdout + second.stderr).toMatch(/before it listened/);
  });
});

describe('per-instance state without Redis', () => {
  it('live tail: every subscriber sees every worker’s entries exactly once', async () => {
    const service = await cluster();
    const subscribers = await spread(service, 2, reader);
    await Promise.all(subscribers.map((s) => subscribe(s)));
    const producers = await spread(service, 4);
    // `subscribed` leaves once every worker publishes to the primary: no entry is missed.
    const sent = producers.map((_, p) =>
      Array.from({ length: 25 }, (_, i) => validEntry({ correlationId: `tail-${p}-${i}` })),
    );
    producers.forEach((producer, p) => producer.send(batchFrame(1, sent[p])));
    const expected = sent.flat().map((e) => e.correlationId!);
    const tailed = (s: WsClient) =>
      pushedLogs(s)
        .map((e) => String(e.correlationId))
        .filter((id) => id.startsWith('tail-'));
    await until(() => subscribers.every((s) => tailed(s).length >= expected.length), 10_000);
    await sleep(200); // a duplicate would arrive right behind

    for (const s of subscribers) expect(tailed(s).sort()).toEqual([...expected].sort());
  });

  it('GET /stats and /metrics answer for the instance from any worker', async () => {
    const service = await cluster();
    const clients = await spread(service, 4);
    clients.forEach((client) =>
      client.send(
        batchFrame(
          1,
          Array.from({ length: 50 }, () => validEntry({ project: 'stats-w', level: 'error' })),
        ),
      ),
    );
    await Promise.all(clients.map((client) => client.next(1)));

    // Each GET is a new connection, so the round robin spreads them over both workers.
    const totals: unknown[] = [];
    const stored: (number | undefined)[] = [];
    const conns: (number | undefined)[] = [];
    for (let i = 0; i < 4; i++) {
      const stats = await fetchJson(`${service.httpUrl}/stats/stats-w`);
      totals.push((stats as { total: number }).total);
      const metrics = parsePrometheus((await httpGet(`${service.httpUrl}/metrics`)).body);
      stored.push(sampleValue(metrics, 'logger_entries_stored_total', { sink: 'file' }));
      conns.push(sampleValue(metrics, 'logger_connections', { transport: 'ws' }));
    }

    expect(totals).toEqual([200, 200, 200, 200]);
    expect(stored).toEqual([200, 200, 200, 200]);
    expect(conns).toEqual([4, 4, 4, 4]);
  });

  it('rate limits per key across workers: the instance admits the burst once', async () => {
    const service = await cluster({ RATE_LIMIT_ENTRIES_PER_S: '1', RATE_LIMIT_BURST: '100' });
    const [a, b] = await spread(service, 2);
    const sendTen = async (client: WsClient, seq: number) => {
      client.send(
        batchFrame(
          seq,
          Array.from({ length: 10 }, () => validEntry()),
        ),
      );
      const replies = await client.next(seq);
      return replies[seq - 1];
    };
    const fromA = [];
    for (let seq = 1; seq <= 6; seq++) fromA.push(await sendTen(a, seq));
    // The primary's balance reaches the other worker within an IPC hop (README "Workers").
    await sleep(100);
    const fromB = [];
    for (let seq = 1; seq <= 6; seq++) fromB.push(await sendTen(b, seq));

    expect(fromA.map((r) => r.event)).toEqual(['ack', 'ack', 'ack', 'ack', 'ack', 'ack']);
    expect(fromB.map((r) => r.event)).toEqual(['ack', 'ack', 'ack', 'ack', 'error', 'error']);
    expect(fromB.slice(4).map((r) => r.data.status)).toEqual([429, 429]);
  });

  it('resumes a producer stream on the other worker (state kept by the primary)', async () => {
    const service = await cluster();
    const producerId = `resume-${Date.now()}`;
    const headers = { ...ingest, 'x-producer-id': producerId };
    const first = await openClient(service.wsUrl(), { headers });
    const [hello1] = await first.next(1);
    for (let seq = 1; seq <= 3; seq++) first.send(batchFrame(seq, [validEntry()]));
    await first.next(4);
    const firstPid = servingPids(service, [first])[0];
    first.terminate();
    const other = workerPids(service).find((pid) => pid !== firstPid)!;

    const second = await openOn(service, other, headers);
    const [hello2] = await second.next(1);
    second.send(batchFrame(3, [validEntry()]));
    second.send(batchFrame(4, [validEntry()]));
    const [, dup, next] = await second.next(3);

    expect(hello1.data).toEqual({ producerId, lastSeq: 0 });
    expect(hello2.data).toEqual({ producerId, lastSeq: 3 });
    expect(dup.data).toMatchObject({ seq: 3, accepted: 0, duplicate: true });
    expect(next.data).toMatchObject({ seq: 4, accepted: 1 });
  });

  it('counts WS_MAX_CONNECTIONS over the instance, not per worker', async () => {
    const service = await cluster({ WS_MAX_CONNECTIONS: '4' });
    const clients = await spread(service, 4);
    await sleep(100); // the counts reach the other worker within an IPC hop
    const over = [];
    for (let i = 0; i < 2; i++)
      over.push((await tryUpgrade(service.wsUrl(), { headers: ingest })).status);
    clients[0].terminate();
    let after = 0;
    for (let i = 0; i < 20 && after !== 101; i++) {
      const result = await tryUpgrade(service.wsUrl(), { headers: ingest });
      after = result.status;
      result.client?.terminate();
      if (after !== 101) await sleep(50);
    }

    expect(over).toEqual([503, 503]);
    expect(after).toBe(101);
  });
});

async function fetchJson(url: string): Promise<unknown> {
  const res = await httpRequest(url, { headers: reader });
  if (res.status !== 200) throw new Error(`GET ${url}: ${res.status} ${res.body}`);
  return res.json;
}
