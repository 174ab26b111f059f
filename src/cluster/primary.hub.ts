import type { ProducerStateStore } from '../producer/producer-state.store.js';
import type {
  PrimaryMessage,
  PrimaryRequests,
  RequestOp,
  WorkerMessage,
} from './cluster.messages.js';
import type { InstanceBuckets } from './instance-buckets.js';

/** A worker as the hub sees it: its index and a way to send it a message. */
export interface HubWorker {
  readonly index: number;
  send(message: PrimaryMessage): void;
}

export interface HubServices {
  /** The LOG_DIR producer state, owned by the primary alone (SPEC §8 without Redis). */
  producers: ProducerStateStore;
  /** The instance's rate-limit buckets; undefined when the rate limit is off. */
  buckets?: InstanceBuckets;
  /** The /metrics text of the workers' registries (getMetricsAsJSON each), summed. */
  metrics(registries: unknown[]): Promise<string>;
}

/** How long a gather waits for every worker's answer (under the worker's own 5 s timeout). */
const GATHER_TIMEOUT_MS = 4000;

interface Gather {
  readonly waiting: Set<number>;
  readonly answers: unknown[];
  readonly done: (error?: Error) => void;
}

/**
 * The primary's state that is per instance, not per worker, and the relay between workers:
 * tail groups to the workers with subscribers, stats gathered from every worker, producer state,
 * rate-limit balances and connection counts. Small on purpose: no Nest, no socket of its own.
 */
export class PrimaryHub {
  private readonly workers = new Map<number, HubWorker>();
  /** Workers that listen: only they have built what a gather asks (a booting one has not). */
  private readonly serving = new Set<number>();
  private readonly interested = new Set<number>();
  private readonly conns = new Map<number, number>();
  private readonly gathers = new Map<number, Gather>();
  /** The last debit seq of each worker applied to the buckets. */
  private readonly debited = new Map<number, number>();
  private nextGather = 1;

  constructor(private readonly services: HubServices) {}

  /** A worker came online: it learns the instance's state it depends on. */
  attach(worker: HubWorker): void {
    this.workers.set(worker.index, worker);
    worker.send({ ls: 1, t: 'interest', any: this.interested.size > 0 });
    worker.send({ ls: 1, t: 'conns', others: this.connsBesides(worker.index) });
    const balances = this.services.buckets?.snapshot();
    if (balances?.length) worker.send({ ls: 1, t: 'balance', seen: 0, balances });
  }

  /** The worker listens: it takes part in gathers from now on. */
  listening(index: number): void {
    this.serving.add(index);
  }

  /** A worker exited: what it held (subscribers, connections, a pending answer) is gone. */
  detach(index: number): void {
    this.workers.delete(index);
    this.serving.delete(index);
    this.setInterest(index, false);
    if (this.conns.delete(index)) this.broadcastConns();
    this.debited.delete(index);
    for (const gather of this.gathers.values()) {
      if (gather.waiting.delete(index) && gather.waiting.size === 0) gather.done();
    }
  }

  receive(from: HubWorker, message: WorkerMessage): void {
    switch (message.t) {
      case 'req':
        return this.answer(from, message.id, message.op, message.args);
      case 'tail':
        for (const index of this.interested) this.workers.get(index)?.send(message);
        return;
      case 'conns':
        this.conns.set(from.index, Number(message.n) || 0);
        return this.broadcastConns();
      case 'debit':
        return this.debit(from.index, message.seq, message.debits);
      case 'stats.answer':
        return this.collect(from.index, message.id, message.counts);
      case 'metrics.answer':
        return this.collect(from.index, message.id, message.metrics);
      case 'interest.synced':
        return this.collect(from.index, message.id, null);
    }
  }

  private answer(to: HubWorker, id: number, op: RequestOp, args: unknown): void {
    this.perform(op, args, to.index).then(
      (value) => to.send({ ls: 1, t: 'res', id, ok: true, value }),
      (error: unknown) =>
        to.send({ ls: 1, t: 'res', id, ok: false, error: (error as Error)?.message ?? 'failed' }),
    );
  }

  private async perform(op: RequestOp, args: unknown, from: number): Promise<unknown> {
    switch (op) {
      case 'tail.interest': {
        const on = (args as PrimaryRequests['tail.interest']).on === true;
        this.setInterest(from, on);
        // Workers handle messages in order: one that answered this has seen `interest` before.
        if (on) await this.gather((id) => ({ ls: 1, t: 'interest.sync', id }));
        return null;
      }
      case 'stats': {
        const { from, to } = args as PrimaryRequests['stats'];
        const answers = await this.gather((id) => ({ ls: 1, t: 'stats.ask', id, from, to }));
        return (answers as [number, string, number][][]).flat();
      }
      case 'metrics':
        return this.services.metrics(await this.gather((id) => ({ ls: 1, t: 'metrics.ask', id })));
      case 'producer.open':
        return this.services.producers.open((args as PrimaryRequests['producer.open']).stream);
      case 'producer.record': {
        const { stream, seq } = args as PrimaryRequests['producer.record'];
        await this.services.producers.record(stream, seq);
        return null;
      }
      default:
        throw new Error(`unknown request ${String(op)}`);
    }
  }

  /** Asks every serving worker and resolves with their answers (one each, any order). */
  private gather(ask: (id: number) => PrimaryMessage): Promise<unknown[]> {
    const id = this.nextGather++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => gather.done(new Error(`workers ${[...gather.waiting].join(', ')} did not answer`)),
        GATHER_TIMEOUT_MS,
      );
      const gather: Gather = {
        waiting: new Set([...this.serving].filter((index) => this.workers.has(index))),
        answers: [],
        done: (error) => {
          clearTimeout(timer);
          this.gathers.delete(id);
          if (error) reject(error);
          else resolve(gather.answers);
        },
      };
      this.gathers.set(id, gather);
      if (gather.waiting.size === 0) return gather.done();
      for (const index of gather.waiting) this.workers.get(index)?.send(ask(id));
    });
  }

  private collect(index: number, id: number, answer: unknown): void {
    const gather = this.gathers.get(id);
    if (!gather?.waiting.delete(index)) return;
    gather.answers.push(answer);
    if (gather.waiting.size === 0) gather.done();
  }

  private setInterest(index: number, on: boolean): void {
    const before = this.interested.size > 0;
    if (on) this.interested.add(index);
    else this.interested.delete(index);
    const after = this.interested.size > 0;
    if (before === after) return;
    for (const worker of this.workers.values()) worker.send({ ls: 1, t: 'interest', any: after });
  }

  private debit(index: number, seq: number, debits: [string, number][]): void {
    const balances = this.services.buckets?.debit(debits);
    if (!balances) return;
    this.debited.set(index, seq);
    // Every worker, not only those that took from these names: a worker's first take of a name
    // must see what the others took already.
    for (const worker of this.workers.values()) {
      const seen = this.debited.get(worker.index) ?? 0;
      worker.send({ ls: 1, t: 'balance', seen, balances });
    }
  }

  private connsBesides(index: number): number {
    let n = 0;
    for (const [i, count] of this.conns) if (i !== index) n += count;
    return n;
  }

  private broadcastConns(): void {
    for (const worker of this.workers.values()) {
      worker.send({ ls: 1, t: 'conns', others: this.connsBesides(worker.index) });
    }
  }
}
