/** What the logger needs of a WebSocket; Node (`ws`) and browsers each provide one. */
export interface ClientSocket {
  send(text: string): void;
  close(code: number, reason: string): void;
}

/** How a connection ended: `opened` false means the attempt failed (no upgrade). */
export interface SocketEnd {
  code: number;
  reason: string;
  opened: boolean;
  /** The HTTP status of a refused upgrade, where the platform tells it (Node does). */
  status?: number;
  error?: Error;
}

export interface SocketHandlers {
  onOpen(): void;
  onMessage(text: string): void;
  /** Called exactly once per socket, last. */
  onEnd(end: SocketEnd): void;
}

/** The credentials of a handshake (SPEC §2, §8). */
export interface Handshake {
  apiKey: string;
  producerId?: string;
}

/** Opens a socket to `url`; every outcome is reported through `handlers`, never thrown. */
export type SocketFactory = (
  url: string,
  handshake: Handshake,
  handlers: SocketHandlers,
) => ClientSocket;
