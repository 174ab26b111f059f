/** The prom-client Registry of this process (not prom-client's global one). */
export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');
/** Optional provider of per-sink figures (SinkMetricsSource); the storage layer's to bind. */
export const SINK_METRICS_SOURCE = Symbol('SINK_METRICS_SOURCE');
/** Optional provider of live-tail figures (TailMetricsSource). */
export const TAIL_METRICS_SOURCE = Symbol('TAIL_METRICS_SOURCE');
/** Optional provider of the rate limiter's figures (RateLimitMetricsSource). */
export const RATE_LIMIT_METRICS_SOURCE = Symbol('RATE_LIMIT_METRICS_SOURCE');
