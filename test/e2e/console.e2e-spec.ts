import { jest } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/chromium.js';
import { ConsolePage, storeEntries } from '../support/console-page.js';
import { uniqueId, validEntry, type EntryInput } from '../support/entries.js';
import { freePort } from '../support/free-port.js';
import { httpRequest } from '../support/http-request.js';
import { restartService } from '../support/restart-service.js';
import {
  READER_KEY,
  SERVICE_KEY,
  startService,
  stopAllServices,
  type ServiceProcess,
} from '../support/service-process.js';

/**
 * SPEC §10, the web console, in Debian's headless Chromium against the real service: sign-in,
 * the live tail with its filters applied by the service, pause, the row cap, the correlation
 * view, the stats, reconnection after a restart, and origins. Screenshots of each view go to
 * test-results/console/ (CONSOLE_SCREENSHOTS_DIR=docs/screenshots refreshes the README's).
 */

jest.setTimeout(90_000);

let service: ServiceProcess;
let browser: Browser;
const tabs: ConsolePage[] = [];

beforeAll(async () => {
  [service, browser] = await Promise.all([startService(), launchChromium()]);
});

afterAll(async () => {
  await Promise.all(tabs.map((t) => t.close().catch(() => undefined)));
  await browser?.close();
  await stopAllServices();
});

async function open(options: Parameters<typeof ConsolePage.open>[2] = {}, on = service) {
  const tab = await ConsolePage.open(browser, on, options);
  tabs.push(tab);
  return tab;
}

async function signedIn(options: Parameters<typeof ConsolePage.open>[2] = {}, on = service) {
  const tab = await open(options, on);
  await tab.signIn(READER_KEY.key);
  await tab.waitSubscribed({});
  return tab;
}

/** Sets the tail filters (empty string: any) and waits until the service applies them. */
async function filterBy(tab: ConsolePage, filter: Record<string, string>): Promise<void> {
  const ids: Record<string, string> = {
    level: 'filter-level',
    project: 'filter-project',
    system: 'filter-system',
    module: 'filter-module',
    correlationId: 'filter-correlation',
  };
  for (const [name, value] of Object.entries(filter)) {
    const field = tab.testId(ids[name] as string);
    if (name === 'level') await field.selectOption(value);
    else await field.fill(value);
  }
  await tab.testId('filter-project').press('Enter');
  await tab.waitSubscribed(Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== '')));
}

describe('GET /console', () => {
  it('answers the page itself with a CSP that allows only its own origin; / redirects there', async () => {
    const page = await httpRequest(`${service.httpUrl}/console`);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.headers['content-security-policy']).toContain("connect-src 'self'");
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.body).not.toMatch(/(src|href)="(https?:)?\/\//);

    const root = await httpRequest(`${service.httpUrl}/`);
    expect(root.status).toBe(302);
    expect(root.headers.location).toBe('/console');

    const asset = /src="(\/console\/assets\/[^"]+\.js)"/.exec(page.body)?.[1];
    const script = await httpRequest(`${service.httpUrl}${asset}`);
    expect(script.status).toBe(200);
    expect(script.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const again = await httpRequest(`${service.httpUrl}${asset}`, {
      headers: { 'if-none-match': String(script.headers.etag) },
    });
    expect(again.status).toBe(304);
    expect((await httpRequest(`${service.httpUrl}/console/assets/..%2Fmain.js`)).status).toBe(404);
  });
});

describe('signing in', () => {
  it('refuses an unknown key and an ingest-only key in words, then signs in with a reader key', async () => {
    const tab = await open();
    const banner = tab.testId('error-banner');
    await expect(banner.isVisible()).resolves.toBe(false);

    await tab.signIn('not-a-key');
    await banner.waitFor({ state: 'visible' });
    expect(await banner.textContent()).toContain('The key was refused');
    await tab.screenshot('sign-in-refused');
    await tab.signIn(SERVICE_KEY.key);
    await tab.page.waitForFunction(() =>
      document.querySelector('[data-testid="error-banner"]')?.textContent?.includes('reader key'),
    );
    expect(await tab.testId('key-input').isVisible()).toBe(true);

    await tab.signIn(READER_KEY.key);
    await tab.waitSubscribed({});
    expect(await banner.isVisible()).toBe(false);
    expect(await tab.page.evaluate(() => sessionStorage.length)).toBe(1);
    expect(tab.requested.some((u) => u.includes(`apiKey=${READER_KEY.key}`))).toBe(true);

    // A reload signs in by itself with the key kept in sessionStorage.
    await tab.page.reload();
    await tab.waitSubscribed({});
    expect(await tab.testId('key-input').isVisible()).toBe(false);
    expect(
      tab.requested.every((u) => u.startsWith(service.httpUrl) || u.startsWith(service.wsUrl())),
    ).toBe(true);
    expect(tab.errors.filter((e) => /Content Security Policy|pageerror/.test(e))).toEqual([]);
  });
});

describe('the live tail', () => {
  let tab: ConsolePage;
  beforeAll(async () => {
    tab = await signedIn({ timezoneId: 'Asia/Kolkata' });
  });

  it('shows matching entries within a second, newest on top, coloured, in the viewer’s zone; never others', async () => {
    const project = uniqueId('tail');
    await filterBy(tab, { level: 'error', project });
    const match = (n: number, over: EntryInput = {}) =>
      validEntry({
        project,
        level: 'error',
        correlationId: `${project}-m${n}`,
        timestamp: '2026-01-21T10:30:00.000Z',
        errorType: 'db',
        errorCode: 503,
        errorMessage: 'pool exhausted',
        ...over,
      });
    const others = [
      validEntry({ project, level: 'info', correlationId: `${project}-x1` }),
      validEntry({ project: `${project}-other`, level: 'error', correlationId: `${project}-x2` }),
      validEntry({ project, level: 'warning', correlationId: `${project}-x3` }),
    ];

    await storeEntries(tab.service, [match(1), ...others, match(2), match(3)]);
    await tab.waitForRows([`${project}-m1`, `${project}-m2`, `${project}-m3`], 1000);

    expect(await tab.rowIds()).toEqual([`${project}-m3`, `${project}-m2`, `${project}-m1`]);
    const row = tab.page.locator(`[data-correlation-id="${project}-m3"]`);
    expect(await row.getAttribute('data-level')).toBe('error');
    // 10:30 UTC is 16:00 in Kolkata (+05:30).
    expect(await row.locator('time').textContent()).toBe('16:00:00.000');
    expect(await row.textContent()).toContain('db (503): pool exhausted');
    // ICU may name it by its old name.
    expect(await tab.page.locator('#zone').textContent()).toMatch(/^Asia\/(Kolkata|Calcutta)$/);
    await tab.screenshot('tail');
  });

  it('applies system, module and correlationId on the service too', async () => {
    const id = uniqueId('corr');
    await filterBy(tab, {
      level: '',
      project: '',
      system: 'billing',
      module: 'Invoice',
      correlationId: id,
    });
    const hit = validEntry({
      system: 'billing',
      module: 'Invoice',
      correlationId: id,
      action: 'hit',
    });
    const sentinel = validEntry({ ...hit, action: 'sentinel' });

    await storeEntries(tab.service, [
      hit,
      validEntry({ system: 'billing', module: 'Other', correlationId: id }),
      validEntry({ system: 'web', module: 'Invoice', correlationId: id }),
      validEntry({ system: 'billing', module: 'Invoice', correlationId: `${id}-not` }),
    ]);
    await storeEntries(tab.service, [sentinel]);
    // The sentinel was stored after the others: had any of them been pushed, it would be here.
    await tab.page.waitForFunction(
      () => document.querySelectorAll('[data-testid="tail-row"]').length >= 2,
    );

    const actions = await tab.page
      .getByTestId('tail-row')
      .evaluateAll((rows) => rows.map((r) => r.querySelector('.c-action')?.textContent));
    expect(actions).toEqual(['sentinel', 'hit']);
  });

  it('keeps entries arriving while paused and shows them on resume', async () => {
    const project = uniqueId('pause');
    await filterBy(tab, { system: '', module: '', correlationId: '', project });
    const pause = tab.testId('pause');
    await pause.click();
    expect(await pause.getAttribute('aria-pressed')).toBe('true');

    const ids = Array.from({ length: 5 }, (_, i) => `${project}-${i}`);
    await storeEntries(
      tab.service,
      ids.map((correlationId) => validEntry({ project, correlationId })),
    );
    await tab.page.waitForFunction(
      () => document.getElementById('pause')?.textContent === 'Resume (5 new)',
    );
    expect(await tab.rowIds()).toEqual([]);
    await tab.screenshot('tail-paused');

    await pause.click();
    await tab.waitForRows(ids);
    expect(await tab.rowIds()).toEqual([...ids].reverse());
    expect(await pause.getAttribute('aria-pressed')).toBe('false');
  });

  it('keeps at most 500 rows, the newest', async () => {
    const project = uniqueId('cap');
    await filterBy(tab, { project });
    const ids = Array.from({ length: 700 }, (_, i) => `${project}-${i}`);
    await storeEntries(
      tab.service,
      ids.map((correlationId) => validEntry({ project, correlationId })),
    );
    await tab.waitForRows([ids[699] as string, ids[200] as string]);

    const shown = await tab.rowIds();
    expect(shown).toEqual(ids.slice(200).reverse());
  });
});

describe('the correlation view', () => {
  it('shows every stored entry of a correlationId, oldest first, across systems, with the error fields', async () => {
    const id = uniqueId('story');
    const story = [
      validEntry({
        correlationId: id,
        timestamp: '2026-01-21T10:00:02.000Z',
        system: 'backend',
        module: 'Pay',
        action: 'charge',
        level: 'error',
        errorType: 'upstream',
        errorCode: 502,
        errorMessage: 'bank timed out',
      }),
      validEntry({
        correlationId: id,
        timestamp: '2026-01-21T10:00:00.000Z',
        system: 'frontend',
        module: 'Cart',
        action: 'checkout',
      }),
      validEntry({
        correlationId: id,
        timestamp: '2026-01-21T10:00:01.000Z',
        system: 'backend',
        module: 'Orders',
        action: 'create',
        level: 'warning',
      }),
    ];
    // Stored before the page exists: the view reads GET /logs, not the tail.
    await storeEntries(service, story.slice(0, 2));
    const tab = await signedIn();
    await storeEntries(service, story.slice(2));
    await tab.waitForRows([id]);

    await tab.page.locator(`[data-correlation-id="${id}"] button.corr`).click();
    const view = tab.testId('correlation-view');
    await view.waitFor({ state: 'visible' });
    await tab.page.waitForFunction(
      () => document.querySelectorAll('[data-testid="correlation-entry"]').length === 3,
    );

    const items = await view
      .getByTestId('correlation-entry')
      .evaluateAll((lis) => lis.map((li) => li.textContent ?? ''));
    expect(items[0]).toContain('frontend · Cart · checkout');
    expect(items[1]).toContain('backend · Orders · create');
    expect(items[2]).toContain('backend · Pay · charge');
    expect(items[2]).toContain('upstream (502): bank timed out');
    expect(await tab.page.locator('#corr-status').textContent()).toContain(
      '3 entries, oldest first',
    );
    await tab.screenshot('correlation');

    await tab.page.keyboard.press('Escape');
    await view.waitFor({ state: 'hidden' });
  });
});

describe('the stats', () => {
  it('lists each project of the last 24 hours with its errors, charts entries per minute, and takes a range', async () => {
    const busy = uniqueId('shop');
    const calm = uniqueId('blog');
    await storeEntries(service, [
      ...Array.from({ length: 4 }, () => validEntry({ project: busy, level: 'error' })),
      ...Array.from({ length: 6 }, () => validEntry({ project: busy, level: 'info' })),
      ...Array.from({ length: 3 }, () => validEntry({ project: calm, level: 'warning' })),
    ]);
    const tab = await signedIn();
    const busyItem = tab.page.locator(`[data-testid="stats-project"][data-project="${busy}"]`);
    await busyItem.waitFor();
    expect(await busyItem.getAttribute('data-errors')).toBe('4');
    expect(
      await tab.page
        .locator(`[data-testid="stats-project"][data-project="${calm}"]`)
        .getAttribute('data-errors'),
    ).toBe('0');
    const chart = tab.testId('stats-chart');
    await tab.page.waitForFunction(
      () => Number(document.getElementById('stats-chart')?.dataset.total) >= 13,
    );
    expect(Number(await chart.getAttribute('data-minutes'))).toBeGreaterThanOrEqual(60);
    expect(await tab.page.locator('#stats-chart canvas').count()).toBe(1);
    await tab.screenshot('stats');
    // The README's picture: the same page with a few live rows of every level.
    const live = [
      validEntry({
        project: busy,
        level: 'info',
        system: 'frontend',
        module: 'Cart',
        action: 'open',
      }),
      validEntry({
        project: busy,
        level: 'warning',
        system: 'backend',
        module: 'Stock',
        action: 'reserve',
        errorType: 'slow',
        errorMessage: 'took 2.4 s',
      }),
      validEntry({
        project: busy,
        level: 'error',
        system: 'backend',
        module: 'Pay',
        action: 'charge',
        errorType: 'upstream',
        errorCode: 502,
        errorMessage: 'bank timed out',
      }),
      validEntry({ project: calm, level: 'info', system: 'web', module: 'Post', action: 'render' }),
    ];
    await storeEntries(service, live);
    await tab.waitForRows(live.map((e) => e.correlationId as string));
    await tab.screenshot('overview');

    // An hour three days ago (within the 8 days kept) holds nothing of this run.
    const [from, to] = await tab.page.evaluate(() => {
      const local = (d: Date) =>
        new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
      const start = new Date(Date.now() - 3 * 86_400_000);
      start.setMinutes(0, 0, 0);
      return [local(start), local(new Date(start.getTime() + 3_600_000))];
    });
    await tab.page.locator('#from').fill(from);
    await tab.page.locator('#to').fill(to);
    await tab.page.locator('#range button[type="submit"]').click();
    await tab.page.waitForFunction(
      () => document.getElementById('stats-chart')?.dataset.total === '0',
    );
    expect(await tab.page.getByTestId('stats-project').count()).toBe(0);
    expect(await chart.getAttribute('data-minutes')).toBe('60');

    await tab.page.locator('#range-live').click();
    await busyItem.waitFor();
  });

  it('fits a phone screen', async () => {
    const tab = await signedIn({ viewport: { width: 390, height: 844 } });
    await storeEntries(service, [validEntry({ level: 'error', errorMessage: 'card declined' })]);
    await tab.page.getByTestId('tail-row').first().waitFor();
    const overflow = await tab.page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await tab.screenshot('phone');
  });
});

describe('keyboard and labels', () => {
  it('names every control and reaches the filters and pause with Tab', async () => {
    const tab = await signedIn();
    const unnamed = await tab.page.evaluate(() =>
      [...document.querySelectorAll('input, select')]
        .filter((e) => (e as HTMLInputElement).labels?.length === 0)
        .map((e) => e.id),
    );
    expect(unnamed).toEqual([]);
    await tab.testId('filter-level').focus();
    const reached: string[] = [];
    for (let i = 0; i < 6; i++) {
      await tab.page.keyboard.press('Tab');
      reached.push(
        await tab.page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? ''),
      );
    }
    expect(reached).toEqual([
      'filter-project',
      'filter-system',
      'filter-module',
      'filter-correlation',
      'pause',
      expect.any(String),
    ]);
    await tab.testId('pause').focus();
    await tab.page.keyboard.press('Shift+Tab');
    await tab.page.keyboard.press('Tab');
    const outline = await tab.page.evaluate(() => {
      const style = getComputedStyle(document.activeElement as Element);
      return `${document.activeElement?.id} ${style.outlineStyle} ${style.outlineWidth}`;
    });
    expect(outline).toBe('pause solid 3px');
  });
});

describe('when the page falls behind', () => {
  it('shows how many entries the service dropped', async () => {
    const own = await startService({ env: { TAIL_MAX_BUFFERED_BYTES: '1024' } });
    const tab = await signedIn({}, own);
    const project = uniqueId('flood');
    await filterBy(tab, { project });
    const big = (i: number) =>
      validEntry({ project, correlationId: `${project}-${i}`, errorMessage: 'x'.repeat(8000) });

    // The page's main thread is busy for a while: Chromium stops reading the socket, the
    // service's send queue passes TAIL_MAX_BUFFERED_BYTES, and later groups are dropped for it.
    const busy = tab.page.evaluate(() => {
      const end = Date.now() + 4000;
      while (Date.now() < end);
    });
    for (let part = 0; part < 4; part++) {
      await storeEntries(
        own,
        Array.from({ length: 500 }, (_, i) => big(part * 500 + i)),
      );
    }
    await busy;

    const banner = tab.testId('dropped-banner');
    await banner.waitFor({ state: 'visible', timeout: 20_000 });
    const dropped = Number(/dropped (\d+) entries/.exec((await banner.textContent()) ?? '')?.[1]);
    expect(dropped).toBeGreaterThan(0);
    expect(dropped).toBeLessThan(2000);
    await tab.screenshot('dropped');
  });
});

describe('when the service restarts', () => {
  it('says the connection is lost, reconnects by itself, and tails again', async () => {
    const own = await startService();
    const tab = await signedIn({}, own);
    const project = uniqueId('restart');
    await filterBy(tab, { project });

    expect((await own.stop('SIGTERM')).code).toBe(0);
    const banner = tab.testId('error-banner');
    await banner.waitFor({ state: 'visible' });
    expect(await banner.textContent()).toMatch(/restarting|lost|Cannot/);
    expect(await banner.textContent()).toContain('Reconnecting');
    await tab.screenshot('reconnecting');

    const again = await restartService(own);
    await tab.waitSubscribed({ project }, 30_000);
    await banner.waitFor({ state: 'hidden' });
    await storeEntries(again, [validEntry({ project, correlationId: `${project}-after` })]);
    await tab.waitForRows([`${project}-after`]);
  });
});

describe('with ALLOWED_ORIGINS', () => {
  it('works from its own origin when ALLOWED_ORIGINS lists only it', async () => {
    const port = await freePort();
    const own = await startService({
      env: { PORT: String(port), ALLOWED_ORIGINS: `http://127.0.0.1:${port}` },
    });
    const tab = await signedIn({}, own);
    const id = uniqueId('origin');
    await storeEntries(own, [validEntry({ correlationId: id })]);
    await tab.waitForRows([id]);
    await tab.page.locator('#range-live').click();
    await tab.page.locator('[data-testid="stats-project"]').first().waitFor();
  });

  it('works from its own origin when ALLOWED_ORIGINS lists other origins only', async () => {
    const own = await startService({ env: { ALLOWED_ORIGINS: 'https://elsewhere.example' } });
    const tab = await signedIn({}, own);
    const id = uniqueId('origin');
    await storeEntries(own, [validEntry({ correlationId: id })]);
    await tab.waitForRows([id]);
  });
});
