/** 0 closed, 1 half-open, 2 open: the value of logger_circuit_state (SPEC §4). */
export type CircuitStateValue = 0 | 1 | 2;

/** One sink's totals since start, read at scrape time. */
export interface SinkFigures {
  /** The `sink` label: the STORAGE kind (`file`, `redis`, `postgres`). */
  readonly sink: string;
  readonly stored: number;
  readonly spooled: number;
  readonly replayed: number;
  readonly circuitState: CircuitStateValue;
}

/**
 * Where logger_entries_{stored,spooled,replayed}_total and logger_circuit_state come from. Bound
 * to SINK_METRICS_SOURCE by the storage layer; absent, MetricsService reports the one configured
 * sink from StorageService.entriesStored (spooled/replayed 0, circuit closed). Called per scrape,
 * never on the ingest path: return counters kept anyway, compute nothing per entry.
 */
export interface SinkMetricsSource {
  sinkFigures(): readonly SinkFigures[];
}

/** logger_tail_subscribers and logger_tail_dropped_total; bound to TAIL_METRICS_SOURCE. */
export interface TailMetricsSource {
  subscribers(): number;
  dropped(): number;
}

/** logger_rate_limited_total; bound to RATE_LIMIT_METRICS_SOURCE. */
export interface RateLimitMetricsSource {
  limited(): number;
}
