import { connect as netConnect, type NetConnectOpts, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';

/** A cut of a byte stream: where a write ends, and whether a short wait follows it. */
export interface Cut {
  readonly at: number;
  readonly pause: boolean;
}

/**
 * A WebSocket client that reads replies with `ws` but writes pre-encoded client frames straight
 * to its TCP socket, cut wherever a test likes: the server then sees several frames in one read,
 * or one frame split over several reads, exactly as the network may deliver them.
 */
export class RawWsClient {
  readonly replies: string[] = [];
  private closeCode: number | undefined;
  private wake: () => void = () => undefined;

  private constructor(
    private readonly ws: WebSocket,
    private readonly socket: Socket,
  ) {
    ws.on('message', (data: Buffer) => {
      this.replies.push(data.toString('utf8'));
      this.wake();
    });
    ws.once('close', (code) => {
      this.closeCode = code;
      this.wake();
    });
    // A protocol error surfaces as 'error' before 'close'; the close code is what tests look at.
    ws.on('error', () => undefined);
  }

  /** Opens a connection; rejects when the upgrade is refused. */
  static open(url: string, headers: Record<string, string>): Promise<RawWsClient> {
    let socket: Socket | undefined;
    const ws = new WebSocket(url, {
      headers,
      perMessageDeflate: false,
      handshakeTimeout: 5000,
      // The socket ws connects over, kept to write raw frames to.
      createConnection: ((options: NetConnectOpts) =>
        (socket = netConnect(options))) as typeof netConnect,
    });
    return new Promise((resolve, reject) => {
      ws.once('open', () => {
        socket!.setNoDelay(true);
        resolve(new RawWsClient(ws, socket!));
      });
      ws.once('error', reject);
    });
  }

  /** The close code once closed, whoever closed it. */
  get closed(): number | undefined {
    return this.closeCode;
  }

  /** Writes `bytes` in chunks ending at each cut (ascending), waiting a moment after some. */
  async write(bytes: Buffer, cuts: readonly Cut[]): Promise<void> {
    let from = 0;
    for (const { at, pause } of [...cuts, { at: bytes.length, pause: false }]) {
      if (at <= from) continue;
      if (this.socket.destroyed) return;
      const flushed = this.socket.write(bytes.subarray(from, at));
      from = at;
      if (!flushed) await this.drained();
      if (pause) await sleep(1);
    }
  }

  /**
   * Resolves once `n` replies have arrived, or the socket closed, or no reply came for `quietMs`
   * while some were still owed (a wedged connection): the caller compares what it got.
   */
  async settle(n: number, quietMs: number): Promise<void> {
    while (this.replies.length < n && this.closeCode === undefined) {
      const before = this.replies.length;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, quietMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      if (this.replies.length === before && this.closeCode === undefined) return;
    }
  }

  terminate(): void {
    this.ws.terminate();
  }

  private drained(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.socket.off('drain', done).off('close', done);
        resolve();
      };
      this.socket.once('drain', done).once('close', done);
    });
  }
}
