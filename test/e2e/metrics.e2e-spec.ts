import { jest } from '@jest/globals';
import { batchFrame, logFrame, validEntry } from '../support/entries.js';
import { httpRequest, postLogs } from '../support/http-request.js';
import { parsePrometheus, sampleValue, type Sample } from '../support/prometheus.js';
import {
  READER_KEY,
  SERVICE_KEY,
  startService,
  stopAllServices,
  type ServiceProcess,
} from '../support/service-process.js';
import { openClient, terminateAllClients } from '../support/ws-client.js';

/** SPEC §4 metrics: a scrape after known traffic over both transports shows exactly it. */

jest.setTimeout(30_000);

const line = (value: unknown) => `${JSON.stringify(value)}\n`;

describe('GET /metrics', () => {
  let service: ServiceProcess;

  beforeAll(async () => {
    service = await startService();
  });

  afterAll(async () => {
    terminateAllClients();
    await stopAllServices();
  });

  async function scrape(): Promise<{ text: string; samples: Sample[]; type: string }> {
    const res = await httpRequest(`${service.httpUrl}/metrics`);
    expect(res.status).toBe(200);
    return {
      text: res.body,
      samples: parsePrometheus(res.body),
      type: String(res.headers['content-type']),
    };
  }

  it('counts what both transports received, rejected and stored, by sink and key name', async () => {
    // Arrange: a fresh service, an idle scrape first
    const before = await scrape();
    expect(sampleValue(before.samples, 'logger_entries_received_total')).toBe(0);
    const client = await openClient(service.wsUrl(), { headers: { 'x-api-key': SERVICE_KEY.key } });

    // Act
    // WebSocket: a batch of 3 (1 invalid) and one log frame.
    client.send(batchFrame(1, [validEntry(), { ...validEntry(), level: 'x' }, validEntry()]));
    client.send(logFrame(validEntry()));
    await client.next(2);
    // HTTP: 4 lines (1 broken) by the service key; 1 invalid entry (400); 1 entry by the reader key.
    const ndjson = [validEntry(), validEntry(), validEntry()].map(line).join('') + '{oops\n';
    expect((await postLogs(service.httpUrl, SERVICE_KEY.key, [ndjson])).status).toBe(200);
    expect(
      (await postLogs(service.httpUrl, SERVICE_KEY.key, [line({ level: 'info' })])).status,
    ).toBe(400);
    expect((await postLogs(service.httpUrl, READER_KEY.key, [line(validEntry())])).status).toBe(
      200,
    );
    const { samples, text, type } = await scrape();

    // Assert
    const value = (name: string, labels?: Record<string, string>) =>
      sampleValue(samples, name, labels);
    expect(type).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(value('logger_entries_received_total')).toBe(10);
    expect(value('logger_entries_rejected_total', { reason: 'invalid' })).toBe(3);
    expect(value('logger_entries_rejected_total', { reason: 'unavailable' })).toBe(0);
    expect(value('logger_entries_stored_total', { sink: 'file' })).toBe(7);
    expect(value('logger_entries_by_key_total', { key_name: SERVICE_KEY.name })).toBe(6);
    expect(value('logger_entries_by_key_total', { key_name: READER_KEY.name })).toBe(1);
    expect(value('logger_connections', { transport: 'ws' })).toBe(1);
    // The scrape itself is the one HTTP request in flight.
    expect(value('logger_connections', { transport: 'http' })).toBe(1);
    expect(text).not.toContain(SERVICE_KEY.key);
    expect(text).not.toContain(READER_KEY.key);
  });

  it('registers every SPEC §4 name, the sink ones at zero, beside the default process metrics', async () => {
    // Act
    const { samples } = await scrape();

    // Assert
    const value = (name: string, labels?: Record<string, string>) =>
      sampleValue(samples, name, labels);
    expect(value('logger_entries_spooled_total', { sink: 'file' })).toBe(0);
    expect(value('logger_entries_replayed_total', { sink: 'file' })).toBe(0);
    expect(value('logger_circuit_state', { sink: 'file' })).toBe(0);
    expect(value('logger_store_duration_seconds_count', { sink: 'file' })).toBeDefined();
    expect(value('logger_tail_subscribers')).toBe(0);
    expect(value('logger_tail_dropped_total')).toBe(0);
    expect(value('logger_rate_limited_total')).toBe(0);
    expect(value('process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(value('process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(samples.some((s) => s.name.startsWith('nodejs_heap_size_total_bytes'))).toBe(true);
  });
});
