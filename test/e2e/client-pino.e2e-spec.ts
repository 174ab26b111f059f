import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { jest } from '@jest/globals';
import { uniqueId } from '../support/entries.js';
import {
  SERVICE_KEY,
  startService,
  stopAllServices,
  type ServiceProcess,
} from '../support/service-process.js';
import { readStored, type StoredEntry } from '../support/stored.js';

/** SPEC §9 pino transport: a real pino app, its worker thread, the real service. */

jest.setTimeout(60_000);

const APP = fileURLToPath(new URL('../support/pino-app.mjs', import.meta.url));

let service: ServiceProcess;

beforeAll(async () => {
  service = await startService();
});

afterAll(() => stopAllServices());

/** Runs the pino app to its natural exit; resolves with its exit code and stderr. */
function runApp(run: string, count: number): Promise<{ code: number | null; stderr: string }> {
  const options = {
    url: service.wsUrl(),
    apiKey: SERVICE_KEY.key,
    project: 'pino-e2e',
    system: 'api',
  };
  const child = spawn(process.execPath, [APP], {
    env: {
      ...process.env,
      RUN: run,
      COUNT: String(count),
      TRANSPORT_OPTIONS: JSON.stringify(options),
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stderr })));
}

async function storedOf(run: string): Promise<Map<string, StoredEntry>> {
  const entries = (await readStored(service.logDir)).filter((e) => e.correlationId.startsWith(run));
  return new Map(entries.map((e) => [e.correlationId.slice(run.length + 1), e]));
}

describe('pino transport', () => {
  it('resolves for require (pino uses require.resolve) and for import', async () => {
    const resolved = createRequire(import.meta.url).resolve('@logger-service/client/pino');
    const esm = (await import('@logger-service/client/pino')) as { default: unknown };

    expect(resolved).toMatch(/packages\/client\/dist\/pino\/pino-transport\.cjs$/);
    expect(typeof esm.default).toBe('function');
  });

  it("maps a pino app's records as SPEC §9 says, delivered before the app exits", async () => {
    const run = uniqueId('pino');

    const { code, stderr } = await runApp(run, 0);
    const stored = await storedOf(run);

    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const common = {
      timestamp: '2026-01-21T10:30:00.000Z',
      project: 'pino-e2e',
      system: 'api',
      module: 'checkout-api',
    };
    const pick = (id: string) => {
      const { activeSession: _session, correlationId: _id, ...rest } = stored.get(id)!;
      return rest;
    };
    expect(pick('trace')).toEqual({ ...common, level: 'info', action: 'trace line' });
    expect(pick('debug')).toEqual({ ...common, level: 'info', action: 'debug line' });
    expect(pick('req')).toEqual({ ...common, level: 'info', action: 'request done' });
    expect(pick('warn')).toEqual({ ...common, level: 'warning', action: 'slow query' });
    expect(pick('error')).toEqual({
      ...common,
      level: 'error',
      action: 'charge failed',
      errorType: 'TypeError',
      errorMessage: 'boom',
    });
    expect(pick('fatal')).toEqual({ ...common, level: 'error', action: 'going down' });
    expect(pick('child')).toEqual({
      ...common,
      module: 'Billing',
      level: 'info',
      action: 'invoice sent',
    });
    expect(pick('nomsg')).toEqual({ ...common, level: 'info', action: 'log' });
    expect(pick('long')).toEqual({ ...common, level: 'info', action: 'x'.repeat(128) });
    expect(stored.size).toBe(9);
  });

  it('delivers 5000 records logged right before the exit', async () => {
    const run = uniqueId('pino-bulk');

    const { code } = await runApp(run, 5000);
    const stored = await storedOf(run);

    expect(code).toBe(0);
    const bulk = [...stored.keys()].filter((k) => k.startsWith('bulk-'));
    expect(bulk).toEqual(Array.from({ length: 5000 }, (_, i) => `bulk-${i}`));
  });
});
