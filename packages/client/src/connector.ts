import { fullJitterDelay } from './backoff.util.js';
import type { ResolvedOptions } from './logger-options.js';
import type { ClientSocket, SocketEnd, SocketFactory } from './socket.js';

/** Handshake refusals that no retry can fix (SPEC §2, §8): bad key, bad producer id, origin. */
const PERMANENT_REFUSALS = new Set([400, 401, 403]);

export interface ConnectorHooks {
  onOpen(socket: ClientSocket, url: string): void;
  onMessage(text: string): void;
  /** An open connection ended. The connector waits for `reconnect()` before trying again. */
  onLost(end: SocketEnd): void;
  /** One attempt failed; the connector retries by itself. */
  onAttemptFailed(error: Error): void;
  /** No retry is left, or the service refused the credentials for good. */
  onGiveUp(error: Error): void;
}

/**
 * One socket at a time to one of the urls, tried in turn, with exponential backoff and full
 * jitter between consecutive failed attempts, given up after `maxRetries` of them (SPEC §9).
 */
export class Connector {
  private failures = 0;
  private next = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private socket: ClientSocket | undefined;
  private stopped = false;

  constructor(
    private readonly options: ResolvedOptions,
    private readonly factory: SocketFactory,
    private readonly hooks: ConnectorHooks,
  ) {}

  /** Connects after `delayMs` (at once by default); after a lost connection, the next url. */
  reconnect(immediately = false): void {
    if (this.stopped || this.timer !== undefined || this.socket) return;
    const delay = immediately ? 0 : this.backoffMs();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.attempt();
    }, delay);
  }

  /** The next backoff delay: used between attempts and as the pause after a 503 (SPEC §9). */
  backoffMs(): number {
    return fullJitterDelay(this.failures, this.options.minDelayMs, this.options.maxDelayMs);
  }

  /** Ends the current socket, which counts as lost (`onLost`): the logger reconnects. */
  drop(reason: string): void {
    // 4000-4999 are the application's close codes; the reason is cut to fit a close frame.
    this.socket?.close(4000, `reconnecting: ${reason}`.slice(0, 60).replace(/[^\x20-\x7e]/g, '?'));
  }

  /** Ends the current socket (if any) and stops trying. */
  stop(code = 1000, reason = 'client closed'): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.socket?.close(code, reason);
  }

  private attempt(): void {
    const url = this.options.urls[this.next++ % this.options.urls.length];
    const handshake = { apiKey: this.options.apiKey, producerId: this.options.producerId };
    // Events of a socket that is no longer the current one (after stop) are ignored.
    const current = () => this.socket === socket;
    const socket: ClientSocket = this.factory(url, handshake, {
      onOpen: () => {
        this.failures = 0;
        if (current()) this.hooks.onOpen(socket, url);
      },
      onMessage: (text) => {
        if (current()) this.hooks.onMessage(text);
      },
      onEnd: (end) => {
        if (!current()) return;
        this.socket = undefined;
        if (end.opened) return this.hooks.onLost(end);
        this.failed(url, end);
      },
    });
    this.socket = socket;
    if (this.stopped) socket.close(1000, 'client closed');
  }

  private failed(url: string, end: SocketEnd): void {
    if (this.stopped) return;
    this.failures++;
    const why = end.status ? `HTTP ${end.status}` : (end.error?.message ?? `close ${end.code}`);
    if (end.status !== undefined && PERMANENT_REFUSALS.has(end.status)) {
      return this.hooks.onGiveUp(new Error(`the service refused the connection to ${url}: ${why}`));
    }
    if (this.failures >= this.options.maxRetries) {
      return this.hooks.onGiveUp(
        new Error(
          `retries exhausted: ${this.failures} consecutive failed attempts, the last to ${url}: ${why}`,
        ),
      );
    }
    this.hooks.onAttemptFailed(new Error(`connecting to ${url} failed: ${why}`));
    this.reconnect();
  }
}
