import type { ClientSocket, Handshake, SocketFactory, SocketHandlers } from './socket.js';

/** The part of the DOM WebSocket the logger uses (no DOM lib in this package's types). */
interface DomWebSocket {
  readyState: number;
  onopen: (() => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: (() => void) | null;
  send(text: string): void;
  close(code?: number, reason?: string): void;
}

type DomWebSocketClass = new (url: string) => DomWebSocket;

/**
 * Browsers: the global WebSocket. It cannot set headers, so the key (and the producer id) go in
 * the query (SPEC §2, §8); a refused upgrade shows only as a close with 1006.
 */
export const browserSocket: SocketFactory = (
  url: string,
  handshake: Handshake,
  handlers: SocketHandlers,
): ClientSocket => {
  const Ctor = (globalThis as { WebSocket?: DomWebSocketClass }).WebSocket;
  if (!Ctor) throw new Error('this environment has no global WebSocket');
  const target = new URL(url);
  target.searchParams.set('apiKey', handshake.apiKey);
  if (handshake.producerId !== undefined)
    target.searchParams.set('producerId', handshake.producerId);
  const ws = new Ctor(target.toString());
  let opened = false;
  ws.onopen = () => {
    opened = true;
    handlers.onOpen();
  };
  ws.onmessage = (event) => {
    if (typeof event.data === 'string') handlers.onMessage(event.data);
  };
  // The close event follows every error event and carries what there is to know.
  ws.onerror = () => undefined;
  ws.onclose = (event) => handlers.onEnd({ code: event.code, reason: event.reason, opened });
  return {
    send: (text) => ws.send(text),
    close: (code, reason) => ws.close(code, reason),
  };
};
