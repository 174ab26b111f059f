import { Injectable } from '@nestjs/common';

/** `logger_circuit_state` values (SPEC §4). */
export const CircuitStateValue = { closed: 0, halfOpen: 1, open: 2 } as const;
export type CircuitStateValue = (typeof CircuitStateValue)[keyof typeof CircuitStateValue];

/** Upper bounds (seconds) of the store-duration histogram buckets; +Inf is implied. */
export const STORE_DURATION_BUCKETS = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
] as const;

/**
 * The counters of one sink, kept for `/metrics` (SPEC §4 names in brackets). Plain numbers,
 * updated once per group, so that the exporter of a later issue only reads them.
 */
export class SinkMetrics {
  /** Entries the sink itself stored, replays included (`logger_entries_stored_total`). */
  stored = 0;
  /** Entries that went to the spool instead (`logger_entries_spooled_total`). */
  spooled = 0;
  /** Spooled entries stored by a replay (`logger_entries_replayed_total`). */
  replayed = 0;
  /** `logger_circuit_state`: 0 closed, 1 half-open, 2 open. */
  circuit: CircuitStateValue = CircuitStateValue.closed;
  /** Bytes its spool holds now. */
  spoolBytes = 0;
  /** `logger_store_duration_seconds`: counts per bucket of STORE_DURATION_BUCKETS, then +Inf. */
  readonly durationBuckets = new Array<number>(STORE_DURATION_BUCKETS.length + 1).fill(0);
  durationSum = 0;
  durationCount = 0;

  /** Also told of every write's duration (the Prometheus histogram, see storage.module.ts). */
  observer: ((sink: string, seconds: number) => void) | undefined;

  constructor(readonly sink: string) {}

  /** Records one successful sink write that took `seconds`. */
  observe(seconds: number): void {
    this.observer?.(this.sink, seconds);
    let i = 0;
    while (i < STORE_DURATION_BUCKETS.length && seconds > STORE_DURATION_BUCKETS[i]) i++;
    this.durationBuckets[i]++;
    this.durationSum += seconds;
    this.durationCount++;
  }
}

/** Every configured sink's metrics, by sink kind; provided by StorageModule. */
@Injectable()
export class StorageMetrics {
  private readonly bySink = new Map<string, SinkMetrics>();
  private observer: SinkMetrics['observer'];

  /** The metrics of `sink`, created on first use. */
  for(sink: string): SinkMetrics {
    let metrics = this.bySink.get(sink);
    if (!metrics) {
      this.bySink.set(sink, (metrics = new SinkMetrics(sink)));
      metrics.observer = this.observer;
    }
    return metrics;
  }

  /** Tells `observer` of every sink's write durations from now on. */
  observeDurations(observer: NonNullable<SinkMetrics['observer']>): void {
    this.observer = observer;
    for (const metrics of this.bySink.values()) metrics.observer = observer;
  }

  all(): SinkMetrics[] {
    return [...this.bySink.values()];
  }
}
