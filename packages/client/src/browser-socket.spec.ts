import WebSocket from 'ws';
import { createLogger } from './browser.js';
import { startFakeServer, type FakeServer } from './testing/fake-log-server.js';

/** The browser build with `ws` standing in for the DOM WebSocket (same on* API, no headers). */
describe('browserSocket', () => {
  let server: FakeServer;
  const saved = (globalThis as { WebSocket?: unknown }).WebSocket;

  beforeEach(async () => {
    server = await startFakeServer();
    (globalThis as { WebSocket?: unknown }).WebSocket = WebSocket;
  });

  afterEach(async () => {
    (globalThis as { WebSocket?: unknown }).WebSocket = saved;
    await server.stop();
  });

  it('puts the key and the producer id in the query and delivers exactly once', async () => {
    const logger = createLogger({
      url: server.url,
      apiKey: 'browser key&=',
      project: 'web',
      system: 'frontend',
      producerId: 'tab-1',
    });
    server.plan(['kill-after']);

    await logger.warning('Cart', 'add');
    await logger.warning('Cart', 'remove');
    await logger.close();

    expect(server.handshakes[0]).toEqual({ apiKey: 'browser key&=', producerId: 'tab-1' });
    expect(server.stored.map((e) => e.action)).toEqual(['add', 'remove']);
  });
});
