import fc from 'fast-check';
import { setImmediate as turn } from 'node:timers/promises';
import { EnvDto } from '../config/env.dto.js';
import type { ProducerStateStore } from '../producer/producer-state.store.js';
import { ClusterRateLimitSync } from '../rate-limit/cluster-rate-limit.sync.js';
import { RateLimiter } from '../rate-limit/rate-limiter.service.js';
import { ClusterStatsStore } from '../stats/cluster.stats-store.js';
import { ClusterTailBus } from '../tail/cluster.tail-bus.js';
import type { PrimaryMessage, WorkerMessage } from './cluster.messages.js';
import { InstanceBuckets } from './instance-buckets.js';
import { PrimaryHub, type HubWorker } from './primary.hub.js';
import { WorkerChannel } from './worker.channel.js';

/** Producer state in a Map: what the primary's file store does, minus the file. */
class MapProducerStore implements ProducerStateStore {
  readonly seqs = new Map<string, number>();
  open(stream: string) {
    return Promise.resolve({ lastSeq: this.seqs.get(stream) ?? 0, epoch: 'e' });
  }
  record(stream: string, seq: number) {
    this.seqs.set(stream, Math.max(seq, this.seqs.get(stream) ?? 0));
    return Promise.resolve();
  }
  close() {
    return Promise.resolve();
  }
}

/**
 * A primary hub and `n` worker channels joined in memory, each message delivered on a later
 * turn, as IPC does; `sent` counts the messages workers sent, by type.
 */
function inMemoryCluster(n: number, buckets?: InstanceBuckets) {
  const producers = new MapProducerStore();
  const hub = new PrimaryHub({ producers, buckets, metrics: () => Promise.resolve('# none\n') });
  const sent = new Map<string, number>();
  const channels = Array.from({ length: n }, (_, index) => {
    let deliver: (m: unknown) => void = () => undefined;
    const peer: HubWorker = { index, send: (m: PrimaryMessage) => setImmediate(() => deliver(m)) };
    const port = {
      connected: true,
      send: (m: WorkerMessage) => {
        sent.set(m.t, (sent.get(m.t) ?? 0) + 1);
        setImmediate(() => hub.receive(peer, m));
        return true;
      },
      on: (_event: string, listener: (m: unknown) => void) => {
        deliver = listener;
        return process;
      },
    };
    const channel = new WorkerChannel(index, port as unknown as NodeJS.Process);
    return { channel, peer };
  });
  for (const { peer } of channels) {
    hub.attach(peer);
    hub.listening(peer.index);
  }
  return { hub, producers, sent, channels: channels.map((c) => c.channel) };
}

/** Lets every message in flight (and those they cause) arrive. */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await turn();
}

describe(PrimaryHub.name, () => {
  it('relays a published group to every worker with subscribers, its sender included, once', async () => {
    const { channels, sent } = inMemoryCluster(3);
    const buses = channels.map((c) => new ClusterTailBus(c));
    const got = buses.map(() => [] as string[][]);
    buses.forEach((bus, i) =>
      bus.listen({ entries: (lines) => got[i].push([...lines]), available: () => undefined }),
    );
    buses[0].publish(['before anyone tails']);
    await settle();
    buses[0].setInterested(true);
    buses[2].setInterested(true);
    buses[2].setInterested(true);
    await settle();

    buses[0].publish(['a1', 'a2']);
    buses[1].publish(['b1']);
    await settle();

    expect(got).toEqual([[['a1', 'a2'], ['b1']], [], [['a1', 'a2'], ['b1']]]);
    expect(sent.get('tail')).toBe(2);
    expect(sent.get('req')).toBe(2);
  });

  it('resolves setInterested only once every worker publishes: the next group arrives', async () => {
    const { channels } = inMemoryCluster(2);
    const [a, b] = channels.map((c) => new ClusterTailBus(c));
    const got: string[][] = [];
    a.listen({ entries: (lines) => got.push([...lines]), available: () => undefined });

    await a.setInterested(true);
    b.publish(['right after']);
    await settle();

    expect(got).toEqual([['right after']]);
  });

  it('answers stats with the sum of every worker’s counts', async () => {
    const { channels } = inMemoryCluster(2);
    const stores = channels.map((c) => new ClusterStatsStore(c));
    stores[0].record(100, 'k1', 3);
    stores[1].record(100, 'k1', 4);
    stores[1].record(101, 'k2', 5);
    stores[1].record(200, 'k2', 9);

    const sums = new Map<string, number>();
    await stores[0].read(100, 102, (_, key, n) => sums.set(key, (sums.get(key) ?? 0) + n));

    expect([...sums].sort()).toEqual([
      ['k1', 7],
      ['k2', 5],
    ]);
  });

  it('answers a stats gather without a worker that exited meanwhile', async () => {
    const { hub, channels } = inMemoryCluster(2);
    const reader = new ClusterStatsStore(channels[0]);
    reader.record(1, 'k', 2);
    hub.detach(1);

    const seen: [number, string, number][] = [];
    await reader.read(0, 5, (minute, key, n) => seen.push([minute, key, n]));

    expect(seen).toEqual([[1, 'k', 2]]);
  });

  it('keeps producer state for every worker', async () => {
    const { channels } = inMemoryCluster(2);
    await channels[0].request('producer.record', { stream: 's', seq: 7 });

    expect(await channels[1].request('producer.open', { stream: 's' })).toEqual({
      lastSeq: 7,
      epoch: 'e',
    });
  });

  it('tells each worker the connections open on the others', async () => {
    const { channels } = inMemoryCluster(3);
    const others = channels.map(() => -1);
    channels.forEach((c, i) => c.on('conns', (m) => (others[i] = m.others)));
    channels[0].send({ ls: 1, t: 'conns', n: 2 });
    channels[1].send({ ls: 1, t: 'conns', n: 5 });
    await settle();

    expect(others).toEqual([5, 2, 7]);
  });
});

describe(ClusterRateLimitSync.name, () => {
  const env = Object.assign(new EnvDto(), { RATE_LIMIT_ENTRIES_PER_S: 1, RATE_LIMIT_BURST: 10 });

  function limiters(n: number) {
    const { channels, sent } = inMemoryCluster(n, new InstanceBuckets(1, 10));
    return {
      sent,
      limiters: channels.map((c) => {
        const limiter = new RateLimiter(env);
        new ClusterRateLimitSync(limiter, c);
        return limiter;
      }),
    };
  }

  it('admits the burst once per instance, whichever worker takes', async () => {
    const {
      limiters: [a, b],
    } = limiters(2);
    const now = Date.now();
    expect(a.take('k', 6, now)).toBe(0);
    await settle();

    expect(b.take('k', 5, now)).toBeGreaterThan(0);
    expect(b.take('k', 4, now)).toBe(0);
    await settle();
    expect(a.takeUpTo('k', 3, now)).toBe(0);
  });

  it('reports once per event-loop turn, not once per take', async () => {
    const {
      limiters: [a],
      sent,
    } = limiters(2);
    for (let i = 0; i < 5; i++) a.take('k', 1);
    await settle();

    expect(sent.get('debit')).toBe(1);
  });

  it('counts its own takes the primary has not seen yet against the balance', async () => {
    const {
      limiters: [a, b],
    } = limiters(2);
    const now = Date.now();
    b.take('k', 2, now);
    await settle();
    a.take('k', 3, now); // in flight when b's next balance arrives
    b.take('k', 1, now);
    await settle();

    expect(a.takeUpTo('k', 10, now)).toBe(4);
  });
});

describe(`${ClusterRateLimitSync.name} against one process (property)`, () => {
  // 1000/s is one token a millisecond: integer arithmetic, so one process's incremental refills
  // and a worker's refill from the primary's balance agree to the last bit.
  const env = Object.assign(new EnvDto(), { RATE_LIMIT_ENTRIES_PER_S: 1000, RATE_LIMIT_BURST: 40 });
  const op = fc.record({
    worker: fc.integer({ min: 0, max: 2 }),
    name: fc.constantFrom('alice', 'bob'),
    n: fc.oneof(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 13, max: 100 })),
    upTo: fc.boolean(),
    advanceMs: fc.integer({ min: 0, max: 50 }),
  });

  it('decides as one process would when every message arrives between takes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 40 }), async (ops) => {
        const { channels } = inMemoryCluster(3, new InstanceBuckets(1000, 40));
        const workers = channels.map((c) => {
          const limiter = new RateLimiter(env);
          new ClusterRateLimitSync(limiter, c);
          return limiter;
        });
        const single = new RateLimiter(env);
        // Balances carry the primary's clock: keep one clock for all, moved by the ops.
        let now = Date.now();
        const realNow = Date.now;
        Date.now = () => now;
        try {
          for (const { worker, name, n, upTo, advanceMs } of ops) {
            now += advanceMs;
            const got = upTo
              ? workers[worker].takeUpTo(name, n, now)
              : workers[worker].take(name, n, now);
            const want = upTo ? single.takeUpTo(name, n, now) : single.take(name, n, now);
            expect(got).toBe(want);
            await settle();
          }
        } finally {
          Date.now = realNow;
        }
      }),
      { numRuns: 60 },
    );
  });
});
