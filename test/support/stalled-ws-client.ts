import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

/**
 * Completes a WebSocket handshake over raw TCP and then stops reading, so the server's close
 * frame is never answered: a peer that holds up a graceful shutdown (SPEC §7) until the server
 * gives up on it. Resolves with the paused socket; the caller destroys it.
 */
export function openStalledClient(port: number, path: string, apiKey: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let head = '';
    socket.setEncoding('latin1');
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.write(
        `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\n` +
          `Connection: Upgrade\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\n` +
          `Sec-WebSocket-Version: 13\r\nx-api-key: ${apiKey}\r\n\r\n`,
      );
    });
    const onData = (chunk: string) => {
      head += chunk;
      if (!head.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      socket.pause();
      // Errors after this point (a reset by the server) are expected and irrelevant.
      socket.on('error', () => undefined);
      const status = head.slice(0, head.indexOf('\r\n'));
      if (/^HTTP\/1\.1 101 /.test(status)) resolve(socket);
      else {
        socket.destroy();
        reject(new Error(`stalled client upgrade refused: ${status}`));
      }
    };
    socket.on('data', onData);
  });
}
