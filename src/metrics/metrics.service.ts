import { Inject, Injectable, Optional } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, type Aggregator, type Registry } from 'prom-client';
import { WORKER_CHANNEL } from '../cluster/cluster.constants.js';
import type { WorkerChannel } from '../cluster/worker.channel.js';
import { ConnectionRegistry } from '../gateway/connection.registry.js';
import { HttpTraffic } from '../http/http-traffic.js';
import type { LogSink } from '../storage/sinks/log-sink.interface.js';
import { LOG_SINK } from '../storage/storage.constants.js';
import { StorageService } from '../storage/storage.service.js';
import { IngestCounters } from './ingest.counters.js';
import {
  METRICS_REGISTRY,
  RATE_LIMIT_METRICS_SOURCE,
  SINK_METRICS_SOURCE,
  TAIL_METRICS_SOURCE,
} from './metrics.constants.js';
import type {
  RateLimitMetricsSource,
  SinkFigures,
  SinkMetricsSource,
  TailMetricsSource,
} from './metrics-sources.interface.js';
import { registerOpenFdsGauge } from './open-fds.gauge.js';
import { StoreDurationRecorder } from './store-duration.recorder.js';

/**
 * Default metrics that walk every handle on each scrape: with 10,000 sockets open they took ~30
 * of a scrape's ~50 ms here, and logger_connections already counts the sockets.
 * `process_open_fds` is replaced by an asynchronous count (open-fds.gauge.ts).
 */
const PER_HANDLE_DEFAULTS = [
  'nodejs_active_handles',
  'nodejs_active_handles_total',
  'nodejs_active_resources',
  'nodejs_active_resources_total',
  'nodejs_active_requests',
  'nodejs_active_requests_total',
  'process_open_fds',
];

/** The values of one metric at scrape time: one per label set (`{}` for none). */
type Read = () => Iterable<readonly [Partial<Record<string, string>>, number]>;

/**
 * The Prometheus metrics of SPEC §4 beside the default process metrics. Every value is read at
 * scrape time from counters the code keeps anyway (collect callbacks), so nothing is counted per
 * entry for Prometheus' sake. Figures of parts not built yet (tail, rate limit, spool, circuits)
 * are zero until their module binds the matching *_METRICS_SOURCE token.
 */
@Injectable()
export class MetricsService {
  private readonly sinks: SinkMetricsSource;

  constructor(
    @Inject(METRICS_REGISTRY) readonly registry: Registry,
    private readonly counters: IngestCounters,
    private readonly connections: ConnectionRegistry,
    private readonly http: HttpTraffic,
    storage: StorageService,
    @Inject(LOG_SINK) sink: LogSink,
    durations: StoreDurationRecorder,
    @Optional() @Inject(SINK_METRICS_SOURCE) sinks?: SinkMetricsSource,
    @Optional() @Inject(TAIL_METRICS_SOURCE) private readonly tail?: TailMetricsSource,
    @Optional() @Inject(RATE_LIMIT_METRICS_SOURCE) private readonly limits?: RateLimitMetricsSource,
    @Optional() @Inject(WORKER_CHANNEL) private readonly channel?: WorkerChannel | null,
  ) {
    this.sinks = sinks ?? { sinkFigures: () => [defaultFigures(sink.kind, storage.entriesStored)] };
    collectDefaultMetrics({ register: registry });
    for (const name of PER_HANDLE_DEFAULTS) registry.removeSingleMetric(name);
    registerOpenFdsGauge(registry);
    for (const { sink: name } of this.sinks.sinkFigures()) durations.declare(name);
    this.registerIngest();
    this.registerSinks();
    this.registerTailAndLimits();
    // WORKERS > 1: the primary gathers every worker's registry and sums them (AggregatorRegistry).
    channel?.on('metrics.ask', (m) => {
      void registry.getMetricsAsJSON().then((metrics) => {
        channel.send({ ls: 1, t: 'metrics.answer', id: m.id, metrics });
      });
    });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The Prometheus text exposition of every metric, summed over the workers under WORKERS > 1. */
  scrape(): Promise<string> {
    return this.channel ? this.channel.request('metrics', {}) : this.registry.metrics();
  }

  private registerIngest(): void {
    const { counters, connections, http } = this;
    this.gauge('logger_connections', 'Open client connections by transport', ['transport'], () => [
      [{ transport: 'ws' }, connections.size],
      [{ transport: 'http' }, http.inFlight],
    ]);
    this.counter(
      'logger_entries_received_total',
      'Entries that reached the contract check',
      [],
      () => [[{}, counters.received]],
    );
    this.counter('logger_entries_rejected_total', 'Entries not stored, by reason', ['reason'], () =>
      Object.entries(counters.rejected).map(([reason, n]) => [{ reason }, n] as const),
    );
    this.counter(
      'logger_entries_by_key_total',
      'Entries handed to storage by key name (never the key; 100 names at most, then "other")',
      ['key_name'],
      () => [...counters.byKeyName].map(([key_name, n]) => [{ key_name }, n] as const),
    );
  }

  private registerSinks(): void {
    const perSink =
      (pick: (f: SinkFigures) => number): Read =>
      () =>
        this.sinks.sinkFigures().map((f) => [{ sink: f.sink }, pick(f)] as const);
    this.counter(
      'logger_entries_stored_total',
      'Entries stored, by sink',
      ['sink'],
      perSink((f) => f.stored),
    );
    this.counter(
      'logger_entries_spooled_total',
      'Entries written to the local spool, by sink',
      ['sink'],
      perSink((f) => f.spooled),
    );
    this.counter(
      'logger_entries_replayed_total',
      'Spooled entries replayed into their sink',
      ['sink'],
      perSink((f) => f.replayed),
    );
    this.gauge(
      'logger_circuit_state',
      'Circuit breaker per sink: 0 closed, 1 half-open, 2 open',
      ['sink'],
      perSink((f) => f.circuitState),
      // Across workers the most open breaker is the instance's state, not a sum of states.
      'max',
    );
  }

  private registerTailAndLimits(): void {
    const { tail, limits } = this;
    this.gauge('logger_tail_subscribers', 'Live-tail subscriptions on this instance', [], () => [
      [{}, tail?.subscribers() ?? 0],
    ]);
    this.counter(
      'logger_tail_dropped_total',
      'Live-tail messages dropped for slow subscribers',
      [],
      () => [[{}, tail?.dropped() ?? 0]],
    );
    this.counter(
      'logger_rate_limited_total',
      'Frames or requests refused by the per-key rate limit',
      [],
      () => [[{}, limits?.limited() ?? 0]],
    );
  }

  /** A counter whose totals are kept elsewhere: set from them at each scrape. */
  private counter(name: string, help: string, labelNames: string[], read: Read): void {
    new Counter({
      name,
      help,
      labelNames,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [labels, n] of read()) this.inc(labels, n);
      },
    });
  }

  private gauge(
    name: string,
    help: string,
    labelNames: string[],
    read: Read,
    aggregator: Aggregator = 'sum',
  ): void {
    new Gauge({
      name,
      help,
      labelNames,
      aggregator,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [labels, n] of read()) this.set(labels, n);
      },
    });
  }
}

function defaultFigures(sink: string, stored: number): SinkFigures {
  return { sink, stored, spooled: 0, replayed: 0, circuitState: 0 };
}
