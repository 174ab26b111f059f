import type { Socket } from 'node:net';
import WebSocket from 'ws';

export interface FieldError {
  field: string;
  message: string;
}

export interface Rejection {
  index: number;
  errors: FieldError[];
}

/** The union of the server frames' `data` of SPEC §3; each frame carries some of these. */
export interface ReplyData {
  accepted?: number;
  seq?: number;
  rejected?: Rejection[];
  status?: number;
  message?: string;
  errors?: FieldError[];
  [other: string]: unknown;
}

export interface Reply {
  event: string;
  data: ReplyData;
}

export interface ConnectOptions {
  headers?: Record<string, string>;
  /** Appended to the URL; an array value repeats the parameter. */
  query?: Record<string, string | string[]>;
  timeoutMs?: number;
}

/** A handshake's outcome: 101 with an open client, or the refusal's HTTP status (0: no answer). */
export type UpgradeResult =
  { status: 101; client: WsClient } | { status: number; client?: undefined; body: string };

const NOT_JSON = '<not json>';
const clients = new Set<WsClient>();

/** An open connection that records every server frame, parsed, in arrival order. */
export class WsClient {
  readonly replies: Reply[] = [];
  /** The text of each reply exactly as received. */
  readonly raw: string[] = [];
  /** Resolves with the close code once the connection is closed, whoever closed it. */
  readonly closed: Promise<number>;
  private closeCode: number | undefined;
  private readonly waiters = new Set<() => void>();

  constructor(readonly ws: WebSocket) {
    clients.add(this);
    ws.on('message', (data, isBinary) => {
      const text = Buffer.isBuffer(data) ? data.toString('utf8') : String(data);
      this.raw.push(text);
      this.replies.push(isBinary ? notJson(text) : parseReply(text));
      this.wake();
    });
    this.closed = new Promise((resolve) => {
      ws.once('close', (code) => {
        this.closeCode = code;
        clients.delete(this);
        this.wake();
        resolve(code);
      });
    });
    // Protocol errors (1007/1009 from the server) surface as 'error' before 'close'; the close
    // code is what tests assert, so the error itself is only kept from crashing the worker.
    ws.on('error', () => undefined);
  }

  /** Sends a frame: a string as is, anything else as JSON. */
  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** Sends raw bytes as a text (binary=false) or binary frame, unvalidated. */
  sendBytes(bytes: Buffer, binary: boolean): void {
    this.ws.send(bytes, { binary });
  }

  /**
   * Writes pre-encoded frames (see ws-frame.ts) to the TCP socket in one write, bypassing ws'
   * sender: the server reads them in one go, as it would a burst from a busy client.
   */
  writeRaw(bytes: Buffer): void {
    (this.ws as unknown as { _socket: Socket })._socket.write(bytes);
  }

  /** Resolves with the first `n` replies; rejects on timeout or if the socket closes first. */
  next(n: number, timeoutMs = 10_000): Promise<Reply[]> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.replies.length >= n) return done(() => resolve(this.replies.slice(0, n)));
        if (this.closeCode !== undefined) {
          done(() => reject(this.shortfall(n, `the socket closed with ${this.closeCode}`)));
        }
      };
      const timer = setTimeout(
        () => done(() => reject(this.shortfall(n, `${timeoutMs} ms passed`))),
        timeoutMs,
      );
      const done = (settle: () => void) => {
        clearTimeout(timer);
        this.waiters.delete(check);
        settle();
      };
      this.waiters.add(check);
      check();
    });
  }

  /** Closes normally and resolves with the close code. */
  close(): Promise<number> {
    if (this.closeCode === undefined) this.ws.close(1000);
    return this.closed;
  }

  terminate(): void {
    this.ws.terminate();
  }

  private wake(): void {
    for (const check of [...this.waiters]) check();
  }

  private shortfall(n: number, why: string): Error {
    return new Error(`waited for ${n} replies, got ${this.replies.length}: ${why}`);
  }
}

/** Attempts a WebSocket handshake; never rejects. */
export function tryUpgrade(url: string, options: ConnectOptions = {}): Promise<UpgradeResult> {
  return new Promise((resolve) => {
    const ws = new WebSocket(withQuery(url, options.query), {
      headers: options.headers,
      perMessageDeflate: false,
      handshakeTimeout: options.timeoutMs ?? 5000,
    });
    ws.once('open', () => resolve({ status: 101, client: new WsClient(ws) }));
    ws.once('unexpected-response', (_req, res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
      );
      res.on('error', () => resolve({ status: res.statusCode ?? 0, body: '' }));
    });
    ws.once('error', (error) => resolve({ status: 0, body: error.message }));
  });
}

/** Opens a connection that must be accepted; throws with the refusal's status otherwise. */
export async function openClient(url: string, options: ConnectOptions = {}): Promise<WsClient> {
  const result = await tryUpgrade(url, options);
  if (result.status !== 101 || !result.client) {
    throw new Error(
      `upgrade of ${url} refused with ${result.status}: ${'body' in result ? result.body : ''}`,
    );
  }
  return result.client;
}

/** For afterAll/afterEach: no socket outlives its test. */
export function terminateAllClients(): void {
  for (const client of clients) client.terminate();
  clients.clear();
}

function withQuery(url: string, query: ConnectOptions['query']): string {
  if (!query) return url;
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    for (const v of Array.isArray(value) ? value : [value]) params.append(name, v);
  }
  return `${url}${url.includes('?') ? '&' : '?'}${params.toString()}`;
}

function parseReply(text: string): Reply {
  try {
    const parsed = JSON.parse(text) as Reply;
    return parsed !== null && typeof parsed === 'object' ? parsed : notJson(text);
  } catch {
    return notJson(text);
  }
}

function notJson(text: string): Reply {
  return { event: NOT_JSON, data: { message: text.slice(0, 200) } };
}

/** The `lastSeq` the service's `hello` reports for a producer stream (SPEC §8). */
export async function producerLastSeq(url: string, apiKey: string, producerId: string) {
  const client = await openClient(url, {
    headers: { 'x-api-key': apiKey, 'x-producer-id': producerId },
  });
  const [hello] = await client.next(1);
  await client.close();
  if (hello.event !== 'hello') throw new Error(`expected hello, got ${JSON.stringify(hello)}`);
  return hello.data.lastSeq as number;
}
