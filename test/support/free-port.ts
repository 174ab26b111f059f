import { createServer } from 'node:net';

/**
 * A TCP port that was free a moment ago on 127.0.0.1: the OS picks it for a throwaway listener,
 * which is closed before the port is returned. Another process may take it in between, so a
 * caller that fails to bind should ask again (startService does).
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error(`unexpected listener address ${String(address)}`));
        return;
      }
      server.close(() => resolve(address.port));
    });
  });
}
