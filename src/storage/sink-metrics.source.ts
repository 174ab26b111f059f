import type { SinkMetricsSource } from '../metrics/metrics-sources.interface.js';
import type { StoreDurationRecorder } from '../metrics/store-duration.recorder.js';
import type { StorageMetrics } from './storage-metrics.js';

/** What /metrics reads of the storage layer (SPEC §4 per-sink series), at scrape time only. */
export function sinkMetricsSource(
  metrics: StorageMetrics,
  durations?: StoreDurationRecorder,
): SinkMetricsSource {
  if (durations) metrics.observeDurations((sink, seconds) => durations.observe(sink, seconds));
  return {
    sinkFigures: () =>
      metrics.all().map((m) => ({
        sink: m.sink,
        stored: m.stored,
        spooled: m.spooled,
        replayed: m.replayed,
        circuitState: m.circuit,
      })),
  };
}
