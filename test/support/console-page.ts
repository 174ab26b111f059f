import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { EntryInput } from './entries.js';
import { postLogs } from './http-request.js';
import { SERVICE_KEY, type ServiceProcess } from './service-process.js';

/**
 * Where the console specs write their screenshots: test-results/console/ (ignored by git), or
 * CONSOLE_SCREENSHOTS_DIR, e.g. docs/screenshots to refresh the ones the README shows.
 */
export const SCREENSHOT_DIR =
  process.env.CONSOLE_SCREENSHOTS_DIR ??
  fileURLToPath(new URL('../../test-results/console/', import.meta.url));

export interface ConsolePageOptions {
  timezoneId?: string;
  viewport?: { width: number; height: number };
}

/** One browser tab on the service's /console, recording what it asked for and complained of. */
export class ConsolePage {
  /** Every URL the page requested (documents, scripts, styles, fetches, WebSockets). */
  readonly requested: string[] = [];
  /** Console errors and uncaught exceptions. */
  readonly errors: string[] = [];

  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
    readonly service: ServiceProcess,
  ) {
    page.on('request', (r) => this.requested.push(r.url()));
    page.on('websocket', (ws) => this.requested.push(ws.url()));
    page.on('pageerror', (e) => this.errors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') this.errors.push(m.text());
    });
  }

  static async open(
    browser: Browser,
    service: ServiceProcess,
    options: ConsolePageOptions = {},
  ): Promise<ConsolePage> {
    const context = await browser.newContext({
      timezoneId: options.timezoneId ?? 'Europe/Berlin',
      viewport: options.viewport ?? { width: 1440, height: 900 },
      locale: 'en-GB',
    });
    const page = await context.newPage();
    const tab = new ConsolePage(context, page, service);
    await page.goto(`${service.httpUrl}/console`);
    return tab;
  }

  testId(id: string) {
    return this.page.getByTestId(id);
  }

  async signIn(key: string): Promise<void> {
    await this.testId('key-input').fill(key);
    await this.testId('connect').click();
  }

  /** Resolves once the service answered `subscribe` with exactly `filter`. */
  async waitSubscribed(filter: Record<string, string>, timeout = 10_000): Promise<void> {
    const expected = JSON.stringify(sortKeys(filter));
    await this.page.waitForFunction(
      (want) => {
        const text = document.getElementById('tail')?.dataset.subscribed;
        if (text === undefined) return false;
        const got = JSON.parse(text) as Record<string, string>;
        const sorted = Object.fromEntries(Object.entries(got).sort(([a], [b]) => (a < b ? -1 : 1)));
        return JSON.stringify(sorted) === want;
      },
      expected,
      { timeout },
    );
  }

  /** The correlationIds of the `tail-row`s, top (newest) first. */
  rowIds(): Promise<string[]> {
    return this.page
      .getByTestId('tail-row')
      .evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.correlationId ?? ''));
  }

  /** Waits until a row with each of `ids` is shown. */
  async waitForRows(ids: readonly string[], timeout = 10_000): Promise<void> {
    await this.page.waitForFunction(
      (want) => {
        const rows = document.querySelectorAll<HTMLElement>('[data-testid="tail-row"]');
        const have = new Set([...rows].map((r) => r.dataset.correlationId));
        return want.every((id) => have.has(id));
      },
      [...ids],
      { timeout },
    );
  }

  async screenshot(name: string): Promise<void> {
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    await this.page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: false });
  }

  close(): Promise<void> {
    return this.context.close();
  }
}

/** Stores `entries` through POST /logs (one NDJSON body, stored and pushed in this order). */
export async function storeEntries(service: ServiceProcess, entries: EntryInput[]): Promise<void> {
  const body = entries.map((e) => `${JSON.stringify(e)}\n`).join('');
  const res = await postLogs(service.httpUrl, SERVICE_KEY.key, [body]);
  if (res.status !== 200) throw new Error(`POST /logs answered ${res.status}: ${res.body}`);
}

function sortKeys(filter: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(filter).sort(([a], [b]) => (a < b ? -1 : 1)));
}
