import cluster, { type Worker } from 'node:cluster';
import { pino, type Logger } from 'pino';
import { rateLimitBurst, type EnvDto } from '../config/env.dto.js';
import { FileProducerStateStore } from '../producer/file-producer-state.store.js';
import { isOurs, type WorkerMessage } from './cluster.messages.js';
import { InstanceBuckets } from './instance-buckets.js';
import { PrimaryHub, type HubWorker } from './primary.hub.js';
import { DEFAULT_POLICY, Supervisor } from './supervisor.js';
import { WORKER_INDEX_VAR } from './worker.channel.js';

/**
 * WORKERS > 1: this process forks the workers, which share the port (node:cluster hands each
 * accepted connection to one of them), supervises them and keeps what is per instance
 * (PrimaryHub). It runs no Nest application and listens on nothing itself.
 */
export class ClusterPrimary {
  private readonly logger: Logger;
  private readonly workers = new Map<number, Worker>();
  private readonly hub: PrimaryHub;
  private readonly supervisor: Supervisor;
  private readonly producers: FileProducerStateStore;

  constructor(private readonly env: EnvDto) {
    this.logger = pino({ level: env.LOG_LEVEL, base: { role: 'primary', pid: process.pid } });
    this.producers = new FileProducerStateStore(env.LOG_DIR, env.PRODUCER_TTL_S * 1000, env.FSYNC);
    const limited = env.RATE_LIMIT_ENTRIES_PER_S > 0;
    this.hub = new PrimaryHub({
      producers: this.producers,
      buckets: limited
        ? new InstanceBuckets(env.RATE_LIMIT_ENTRIES_PER_S, rateLimitBurst(env))
        : undefined,
      metrics: clusterMetrics,
    });
    this.supervisor = new Supervisor(
      env.WORKERS,
      { ...DEFAULT_POLICY, shutdownMs: env.SHUTDOWN_TIMEOUT_MS },
      {
        fork: (index) => this.fork(index),
        signal: (index, signal) => this.workers.get(index)?.process.kill(signal),
        exit: (code) => this.exit(code),
        log: (level, message) => this.logger[level](message),
        setTimer: (fn, ms) => {
          const timer = setTimeout(fn, ms);
          return { cancel: () => clearTimeout(timer) };
        },
        now: () => Date.now(),
      },
    );
  }

  start(): void {
    process.on('SIGTERM', () => this.supervisor.shutdown('SIGTERM'));
    process.on('SIGINT', () => this.supervisor.shutdown('SIGINT'));
    this.logger.info(`primary: starting ${this.env.WORKERS} workers`);
    this.supervisor.start();
  }

  private fork(index: number): void {
    const worker = cluster.fork({ [WORKER_INDEX_VAR]: String(index) });
    const peer: HubWorker = {
      index,
      send: (message) => {
        if (worker.isConnected()) worker.send(message);
      },
    };
    this.workers.set(index, worker);
    worker.on('online', () => this.hub.attach(peer));
    // A send racing the worker's exit fails here rather than crashing the primary.
    worker.on('error', (error: Error) => this.logger.warn(`worker ${index}: ${error.message}`));
    worker.on('listening', () => {
      this.hub.listening(index);
      this.supervisor.listening(index);
    });
    worker.on('message', (message: unknown) => {
      if (isOurs<WorkerMessage>(message)) this.hub.receive(peer, message);
    });
    worker.on('exit', (code: number | null, signal: string | null) => {
      if (this.workers.get(index) === worker) this.workers.delete(index);
      this.hub.detach(index);
      this.supervisor.exited(index, code, signal);
    });
  }

  private exit(code: number): void {
    const done = () => process.exit(code);
    this.producers.close().then(done, (error: unknown) => {
      this.logger.error({ err: error }, 'closing the producer state failed');
      process.exit(1);
    });
  }
}

/**
 * prom-client's cluster aggregation (sums, unless a metric names its aggregator) over what the
 * serving workers answered; loaded at the first scrape, so the primary carries prom-client only
 * once someone scrapes. Its own clusterMetrics() would also wait for workers still booting.
 */
async function clusterMetrics(registries: unknown[]): Promise<string> {
  const { AggregatorRegistry } = await import('prom-client');
  type Metrics = Parameters<typeof AggregatorRegistry.aggregate>[0];
  return AggregatorRegistry.aggregate(registries as Metrics).metrics();
}
