import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { LogEntry } from '../log-entry.js';

/**
 * What the fake does with one `batch` frame (unit tests only; e2e tests use the real service):
 * - `ack`: store and ack, as the real service does (SPEC §3, §8 dedupe and 409 included);
 * - `429` / `503`: refuse it, nothing stored;
 * - `409`: answer 409 with the expected seq and store nothing, as if the frame had been lost;
 * - `kill-before` / `kill-after`: drop the connection before / after storing, without an ack;
 * - `restart`: store, ack, then close with 1012;
 * - `forget`: store and ack, then forget the stream's seq (PRODUCER_TTL_S ran out);
 * - `kill-lagging`: store, drop the connection, and let the next hello report one seq less than
 *   stored (a lagging replica), so that the client resends a stored batch and gets `duplicate`.
 */
export type FakeAction =
  | 'ack'
  | '429'
  | '503'
  | '409'
  | 'kill-before'
  | 'kill-after'
  | 'kill-lagging'
  | 'restart'
  | 'forget';

export interface FakeServer {
  readonly url: string;
  /** Every stored entry, in store order. */
  readonly stored: LogEntry[];
  /** Handshakes seen: the key and producer id of each, in order. */
  readonly handshakes: { apiKey: string | undefined; producerId: string | undefined }[];
  /** Entries per `batch` frame received, in arrival order. */
  readonly frames: number[];
  /** How many `duplicate` acks were sent. */
  readonly duplicates: () => number;
  /** Actions for the next batch frames, in order; `ack` once they run out. */
  plan(actions: readonly FakeAction[]): void;
  /** Closes every connection with `code` (4401: a revoked session). */
  closeAll(code: number, reason?: string): void;
  /** Refuses upgrades with this HTTP status until set back to undefined. */
  refuseWith(status: number | undefined): void;
  stop(): Promise<void>;
}

const LEVELS = new Set(['info', 'warning', 'error']);

/** A §3/§8 server in one process, with scripted faults. */
export async function startFakeServer(): Promise<FakeServer> {
  const http: Server = createServer();
  const wss = new WebSocketServer({ noServer: true });
  const stored: LogEntry[] = [];
  const handshakes: FakeServer['handshakes'] = [];
  const frames: number[] = [];
  const lastSeq = new Map<string, number>();
  let actions: FakeAction[] = [];
  let refusal: number | undefined;
  let duplicates = 0;
  let lag = 0;

  http.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const apiKey =
      (req.headers['x-api-key'] as string) ?? url.searchParams.get('apiKey') ?? undefined;
    const producerId =
      (req.headers['x-producer-id'] as string) ?? url.searchParams.get('producerId') ?? undefined;
    handshakes.push({ apiKey, producerId });
    socket.on('error', () => undefined);
    if (refusal !== undefined) {
      socket.end(`HTTP/1.1 ${refusal} Refused\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => serve(ws, producerId));
  });

  function serve(ws: WebSocket, producerId: string | undefined): void {
    const send = (event: string, data: unknown) => ws.send(JSON.stringify({ event, data }));
    if (producerId) {
      send('hello', { producerId, lastSeq: Math.max(0, (lastSeq.get(producerId) ?? 0) - lag) });
      lag = 0;
    }
    // A client that vanishes resets the socket: that is a scenario here, not a failure.
    ws.on('error', () => undefined);
    let dead = false;
    let stopping = false;
    const kill = () => {
      dead = true;
      ws.terminate();
    };
    ws.on('message', (raw) => {
      // Frames that arrived in the same read as a kill are not served: the process is gone.
      if (dead) return;
      // As the real service does once it stopped a connection for shutdown (SPEC §7).
      if (stopping) return send('error', { status: 503, message: 'shutting down' });
      const frame = JSON.parse(raw.toString()) as { data: { seq: number; entries: LogEntry[] } };
      const { seq, entries } = frame.data;
      frames.push(entries.length);
      const action = actions.shift() ?? 'ack';
      const last = producerId ? (lastSeq.get(producerId) ?? 0) : 0;
      if (producerId && seq <= last) {
        duplicates++;
        return send('ack', { seq, accepted: 0, rejected: [], duplicate: true });
      }
      if (producerId && (seq > last + 1 || action === '409')) {
        return send('error', { status: 409, message: 'out of order', expected: last + 1 });
      }
      if (action === '429')
        return send('error', { status: 429, message: 'slow down', retryAfterMs: 3 });
      if (action === '503') return send('error', { status: 503, message: 'storage unavailable' });
      if (action === 'kill-before') return kill();
      const rejected = entries.flatMap((e, index) =>
        LEVELS.has(e.level) ? [] : [{ index, errors: [{ field: 'level', message: 'bad level' }] }],
      );
      stored.push(...entries.filter((e) => LEVELS.has(e.level)));
      if (producerId) lastSeq.set(producerId, seq);
      if (action === 'kill-after') return kill();
      if (action === 'kill-lagging') {
        lag = 1;
        return kill();
      }
      if (action === 'forget' && producerId) lastSeq.delete(producerId);
      send('ack', { seq, accepted: entries.length - rejected.length, rejected });
      if (action === 'restart') {
        stopping = true;
        ws.close(1012, 'service restart');
      }
    });
  }

  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/ws`,
    stored,
    handshakes,
    frames,
    duplicates: () => duplicates,
    plan: (next) => (actions = [...next]),
    closeAll: (code, reason = '') => wss.clients.forEach((ws) => ws.close(code, reason)),
    refuseWith: (status) => (refusal = status),
    stop: async () => {
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
