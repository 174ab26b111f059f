import { jest } from '@jest/globals';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ACK_ONE, logFrame, validEntry } from '../support/entries.js';
import { httpGet } from '../support/http-get.js';
import {
  SERVICE_KEY,
  spawnService,
  startService,
  stopAllServices,
} from '../support/service-process.js';
import { openClient, terminateAllClients } from '../support/ws-client.js';

/**
 * The production build (scripts/bundle.mjs): dist/main.js runs the bundle dist/app.cjs with the
 * V8 code cache dist/app.cache. A cache that does not belong to the bundle must never be used
 * and never stop the service; the build's own cache run must write one that belongs to it.
 */

jest.setTimeout(30_000);

const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));
const FILES = ['main.js', 'app.cjs', 'app.cache'];
const sha1 = (bytes: Buffer) => createHash('sha1').update(bytes).digest();

describe('the bundle loader (dist/main.js)', () => {
  let dir: string;

  beforeEach(() => {
    // Inside dist/, so that the copy finds node_modules (swagger-ui-dist) as dist/main.js does.
    dir = mkdtempSync(join(DIST, 'e2e-copy-'));
    for (const file of FILES) copyFileSync(join(DIST, file), join(dir, file));
  });

  afterEach(async () => {
    terminateAllClients();
    await stopAllServices();
    rmSync(dir, { recursive: true, force: true });
  });

  it('ships a code cache headed by the SHA-1 of the bundle it was written for', () => {
    const cache = readFileSync(join(DIST, 'app.cache'));
    expect(cache.subarray(0, 20)).toEqual(sha1(readFileSync(join(DIST, 'app.cjs'))));
    expect(cache.length).toBeGreaterThan(100_000);
  });

  it.each([
    ['another bundle’s cache (digest differs)', (cache: Buffer) => (cache[0] ^= 0xff)],
    ['a damaged cache V8 rejects (digest matches)', (cache: Buffer) => cache.fill(7, 20)],
    ['a truncated cache', (cache: Buffer) => cache.fill(0, 10)],
  ])('starts, is ready and stores with %s', async (_label, damage) => {
    // Arrange
    const cache = readFileSync(join(dir, 'app.cache'));
    damage(cache);
    writeFileSync(join(dir, 'app.cache'), cache);

    // Act
    const service = await startService({ main: join(dir, 'main.js') });
    const ready = await httpGet(`${service.httpUrl}/health/ready`);
    const client = await openClient(service.wsUrl(), { headers: { 'x-api-key': SERVICE_KEY.key } });
    client.send(logFrame(validEntry()));
    await client.next(1);

    // Assert
    expect(ready.status).toBe(200);
    expect(client.raw).toEqual([ACK_ONE]);
  });

  it('starts without any cache file', async () => {
    rmSync(join(dir, 'app.cache'));
    const service = await startService({ main: join(dir, 'main.js') });
    expect((await httpGet(`${service.httpUrl}/health/ready`)).status).toBe(200);
  });

  it('writes BUNDLE_CODE_CACHE_OUT at exit, headed by the bundle’s SHA-1', async () => {
    // Arrange
    const out = join(dir, 'written.cache');
    const service = await startService({
      main: join(dir, 'main.js'),
      env: { BUNDLE_CODE_CACHE_OUT: out },
    });

    // Act
    const exit = await service.stop('SIGTERM');

    // Assert
    expect(exit).toEqual({ code: 0, signal: null });
    expect(existsSync(out)).toBe(true);
    const written = readFileSync(out);
    expect(written.subarray(0, 20)).toEqual(sha1(readFileSync(join(dir, 'app.cjs'))));
    expect(written.length).toBeGreaterThan(100_000);
  });

  it('maps stack traces to src/*.ts under --enable-source-maps', async () => {
    // Act: a LOG_DIR that cannot be a directory fails at boot with a stack (a config value
    // that fails validation is one plain line instead, without a stack).
    const service = await spawnService({
      nodeArgs: ['--enable-source-maps'],
      env: { LOG_DIR: '/dev/null/logs' },
    });
    const exit = await service.waitForExit(15_000);

    // Assert
    expect(exit.code).toBe(1);
    expect(service.stderr).toContain('/dev/null/logs');
    expect(service.stderr).toMatch(/src\/[\w/.-]+\.ts:\d+:\d+/);
  });
});
