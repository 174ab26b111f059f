import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConsoleAssets } from './console-assets.js';
import { ASSET_CACHE, PAGE_CACHE } from './console.constants.js';

describe(ConsoleAssets.name, () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'console-assets-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('serves the page with WS_PATH written in (escaped), and the assets by exact name', () => {
    // Arrange
    mkdirSync(join(dir, 'assets', 'nested'), { recursive: true });
    writeFileSync(
      join(dir, 'index.html'),
      '<head><meta name="logger-ws-path" content="/ws" /></head>',
    );
    writeFileSync(join(dir, 'assets', 'index-abc.js'), 'export {};');
    writeFileSync(join(dir, 'assets', 'nested', 'x.js'), 'nope');

    // Act
    const files = ConsoleAssets.load(dir, '/live"<x>&');

    // Assert
    expect(files.page?.body.toString()).toBe(
      '<head><meta name="logger-ws-path" content="/live&#34;&#60;x&#62;&#38;" /></head>',
    );
    expect(files.page?.cacheControl).toBe(PAGE_CACHE);
    expect(files.asset('index-abc.js')).toMatchObject({
      type: 'text/javascript; charset=utf-8',
      cacheControl: ASSET_CACHE,
    });
    expect(files.asset('index-abc.js')?.etag).toMatch(/^"[\w-]{27}"$/);
    expect(files.asset('nested')).toBeUndefined();
    expect(files.asset('nested/x.js')).toBeUndefined();
    expect(files.asset('../index.html')).toBeUndefined();
  });

  it('has no page when the console is not built', () => {
    const files = ConsoleAssets.load(join(dir, 'missing'), '/ws');

    expect(files.page).toBeUndefined();
    expect(files.asset('index.js')).toBeUndefined();
  });
});
