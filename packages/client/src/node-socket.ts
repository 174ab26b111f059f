import WebSocket from 'ws';
import type { ClientSocket, Handshake, SocketFactory, SocketHandlers } from './socket.js';

const HANDSHAKE_TIMEOUT_MS = 10_000;
const REFUSED = /Unexpected server response: (\d+)/;

/** Node: the `ws` package, credentials in the `x-api-key` / `x-producer-id` headers. */
export const nodeSocket: SocketFactory = (
  url: string,
  handshake: Handshake,
  handlers: SocketHandlers,
): ClientSocket => {
  const headers: Record<string, string> = { 'x-api-key': handshake.apiKey };
  if (handshake.producerId !== undefined) headers['x-producer-id'] = handshake.producerId;
  const ws = new WebSocket(url, {
    headers,
    perMessageDeflate: false,
    handshakeTimeout: HANDSHAKE_TIMEOUT_MS,
  });
  let opened = false;
  let failure: Error | undefined;
  ws.on('open', () => {
    opened = true;
    handlers.onOpen();
  });
  ws.on('message', (data, isBinary) => {
    if (!isBinary) handlers.onMessage(data.toString());
  });
  // ws emits 'error' before 'close' (a refused upgrade, a reset, a protocol error): the close
  // reports it, so that the logger sees one end per socket.
  ws.on('error', (error) => (failure = error));
  ws.on('close', (code, reason) => {
    const status = failure ? Number(REFUSED.exec(failure.message)?.[1] ?? NaN) : NaN;
    handlers.onEnd({
      code,
      reason: reason.toString(),
      opened,
      ...(Number.isNaN(status) ? {} : { status }),
      ...(failure ? { error: failure } : {}),
    });
  });
  return {
    send: (text) => ws.send(text),
    close: (code, reason) => {
      if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
      else ws.close(code, reason);
    },
  };
};
