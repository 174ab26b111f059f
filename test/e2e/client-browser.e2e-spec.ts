import { fileURLToPath } from 'node:url';
import { jest } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/chromium.js';
import { uniqueId } from '../support/entries.js';
import {
  SERVICE_KEY,
  startService,
  stopAllServices,
  type ServiceProcess,
} from '../support/service-process.js';
import { startStaticServer, type StaticServer } from '../support/static-server.js';
import { readStored } from '../support/stored.js';
import { producerLastSeq } from '../support/ws-client.js';

/**
 * SPEC §9 browser build in Debian's headless Chromium (scripts/test.sh installs it when missing):
 * the page imports packages/client/dist/browser.js as a plain ES module, so the build must not
 * pull in `ws` or any Node module, and its key must travel as `?apiKey=`.
 */

jest.setTimeout(60_000);

const CLIENT_DIST = fileURLToPath(new URL('../../packages/client/dist', import.meta.url));

const PAGE = `<!doctype html>
<html><body><script type="module">
  import { createLogger } from '/client/browser.js';
  window.sendEntries = async (options, run, n) => {
    const logger = createLogger(options);
    const events = [];
    logger.on('connected', (e) => events.push('connected ' + e.url));
    logger.on('rejected', (r) => events.push('rejected ' + r.entry.action));
    for (let i = 0; i < n; i++) {
      await logger.warning('Page', i === n - 1 ? 'bad' : 'click', {
        correlationId: run + '-' + i,
        ...(i === n - 1 ? { errorCode: 1.5 } : {}),
      });
    }
    await logger.close();
    return { stats: logger.stats(), events };
  };
  window.ready = true;
</script></body></html>`;

let service: ServiceProcess;
let site: StaticServer;
let browser: Browser;

beforeAll(async () => {
  [service, site, browser] = await Promise.all([
    startService(),
    startStaticServer(PAGE, CLIENT_DIST),
    launchChromium(),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await site?.stop();
  await stopAllServices();
});

async function sendFromPage(options: Record<string, unknown>, run: string): Promise<unknown> {
  const page = await browser.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(site.url);
  await page.waitForFunction(() => (globalThis as unknown as { ready?: boolean }).ready === true);
  const outcome = await page.evaluate(
    ([opts, id]) =>
      (
        globalThis as unknown as {
          sendEntries: (o: unknown, r: string, n: number) => Promise<unknown>;
        }
      ).sendEntries(opts, id, 250),
    [options, run] as const,
  );
  await page.close();
  if (pageErrors.length > 0) throw new Error(`page errors: ${pageErrors.join('; ')}`);
  return outcome;
}

describe('the browser build in headless Chromium', () => {
  it('sends from a page with the key in the query; entries are stored, rejections reported', async () => {
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(site.url);
    await page.waitForFunction(() => (globalThis as unknown as { ready?: boolean }).ready === true);
    const run = uniqueId('browser');
    const options = {
      url: service.wsUrl(),
      apiKey: SERVICE_KEY.key,
      project: 'web',
      system: 'frontend',
    };

    const outcome = await page.evaluate(
      ([opts, id]) =>
        (
          globalThis as unknown as {
            sendEntries: (o: unknown, r: string, n: number) => Promise<unknown>;
          }
        ).sendEntries(opts, id, 250),
      [options, run] as const,
    );

    expect(pageErrors).toEqual([]);
    expect(outcome).toEqual({
      stats: { sent: 250, acked: 249, rejected: 1, dropped: 0, resent: 0, buffered: 0 },
      events: [`connected ${service.wsUrl()}`, 'rejected bad'],
    });
    const stored = (await readStored(service.logDir)).filter((e) =>
      e.correlationId.startsWith(run),
    );
    expect(stored.map((e) => e.correlationId)).toEqual(
      Array.from({ length: 249 }, (_, i) => `${run}-${i}`),
    );
    expect(
      stored.every((e) => e.level === 'warning' && e.activeSession.user === SERVICE_KEY.name),
    ).toBe(true);
  });

  it('uses a producer stream with ?producerId=: a second page continues it, nothing twice', async () => {
    const producerId = uniqueId('tab');
    const options = {
      url: service.wsUrl(),
      apiKey: SERVICE_KEY.key,
      project: 'web',
      system: 'frontend',
      producerId,
    };

    const first = await sendFromPage(options, `${producerId}-a`);
    const second = await sendFromPage(options, `${producerId}-b`);

    const expected = {
      stats: { sent: 250, acked: 249, rejected: 1, dropped: 0, resent: 0, buffered: 0 },
      events: [`connected ${service.wsUrl()}`, 'rejected bad'],
    };
    expect([first, second]).toEqual([expected, expected]);
    const stored = (await readStored(service.logDir)).filter((e) =>
      e.correlationId.startsWith(producerId),
    );
    const ids = (tab: string) => Array.from({ length: 249 }, (_, i) => `${producerId}-${tab}-${i}`);
    expect(stored.map((e) => e.correlationId)).toEqual([...ids('a'), ...ids('b')]);
    // Both pages wrote to one stream: at least one batch each, numbered on.
    expect(
      await producerLastSeq(service.wsUrl(), SERVICE_KEY.key, producerId),
    ).toBeGreaterThanOrEqual(2);
  });
});
