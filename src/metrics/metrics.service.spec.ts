import { Registry } from 'prom-client';
import type { ConnectionRegistry } from '../gateway/connection.registry.js';
import type { HttpTraffic } from '../http/http-traffic.js';
import type { LogSink } from '../storage/sinks/log-sink.interface.js';
import type { StorageService } from '../storage/storage.service.js';
import { IngestCounters } from './ingest.counters.js';
import type { SinkMetricsSource } from './metrics-sources.interface.js';
import { MetricsService } from './metrics.service.js';
import { StoreDurationRecorder } from './store-duration.recorder.js';

function serviceWith(sinks?: SinkMetricsSource) {
  const registry = new Registry();
  const counters = new IngestCounters();
  const storage = { entriesStored: 0 };
  const metrics = new MetricsService(
    registry,
    counters,
    { size: 3 } as ConnectionRegistry,
    { inFlight: 2 } as HttpTraffic,
    storage as StorageService,
    { kind: 'file' } as LogSink,
    new StoreDurationRecorder(registry),
    sinks,
  );
  return { metrics, counters, storage };
}

const valueOf = (text: string, series: string) =>
  text
    .split('\n')
    .find((l) => l.startsWith(`${series} `))
    ?.split(' ')[1];

describe(MetricsService.name, () => {
  it('reads the counters at scrape time, so later traffic shows in the next scrape', async () => {
    // Arrange
    const { metrics, counters, storage } = serviceWith();
    counters.checked(5, 2);
    counters.storing('svc', 3);
    storage.entriesStored = 3;

    // Act
    const first = await metrics.scrape();
    counters.checked(1, 0);
    storage.entriesStored = 4;
    const second = await metrics.scrape();

    // Assert
    expect(valueOf(first, 'logger_entries_received_total')).toBe('5');
    expect(valueOf(first, 'logger_entries_rejected_total{reason="invalid"}')).toBe('2');
    expect(valueOf(first, 'logger_entries_by_key_total{key_name="svc"}')).toBe('3');
    expect(valueOf(first, 'logger_entries_stored_total{sink="file"}')).toBe('3');
    expect(valueOf(first, 'logger_connections{transport="ws"}')).toBe('3');
    expect(valueOf(first, 'logger_connections{transport="http"}')).toBe('2');
    expect(valueOf(second, 'logger_entries_received_total')).toBe('6');
    expect(valueOf(second, 'logger_entries_stored_total{sink="file"}')).toBe('4');
  });

  it('takes per-sink figures from a bound SinkMetricsSource', async () => {
    // Arrange
    const source: SinkMetricsSource = {
      sinkFigures: () => [
        { sink: 'postgres', stored: 10, spooled: 4, replayed: 3, circuitState: 2 },
        { sink: 'file', stored: 12, spooled: 0, replayed: 0, circuitState: 0 },
      ],
    };

    // Act
    const text = await serviceWith(source).metrics.scrape();

    // Assert
    expect(valueOf(text, 'logger_entries_spooled_total{sink="postgres"}')).toBe('4');
    expect(valueOf(text, 'logger_entries_replayed_total{sink="postgres"}')).toBe('3');
    expect(valueOf(text, 'logger_circuit_state{sink="postgres"}')).toBe('2');
    expect(valueOf(text, 'logger_entries_stored_total{sink="file"}')).toBe('12');
    expect(valueOf(text, 'logger_store_duration_seconds_count{sink="postgres"}')).toBe('0');
  });
});
