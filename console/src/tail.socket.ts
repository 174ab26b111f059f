import { ApiError, type ApiClient } from './api.client.js';
import { backoffDelay, RECONNECT_BACKOFF } from './lib/backoff.util.js';
import type { LogEntry, TailFilter } from './lib/log-entry.js';

export type ConnectionState = 'connecting' | 'live' | 'reconnecting';

/** What the socket tells the page. */
export interface TailSocketEvents {
  entry(entry: LogEntry): void;
  dropped(count: number): void;
  /** The service applies `filter` from now on (its `subscribed` answer). */
  subscribed(filter: unknown): void;
  state(state: ConnectionState): void;
  /** A problem of the connection (null: it is over), shown in `error-banner`. */
  connectionProblem(message: string | null): void;
  /** A problem of the tail itself (filter refused, degraded), shown in `error-banner`. */
  tailProblem(message: string | null): void;
  /** The key no longer works: stop and ask for one. */
  keyRefused(message: string): void;
}

interface Frame {
  event?: unknown;
  data?: { count?: unknown; status?: unknown; message?: unknown } & Record<string, unknown>;
}

/**
 * The live tail's WebSocket (SPEC §3, §10): the key as `?apiKey=`, `subscribe` with the current
 * filter on every (re)connection and filter change, and reconnection with exponential backoff and
 * jitter after any close the page did not ask for. A page never sees why an upgrade was refused
 * (only a close 1006), so each reconnection asks over HTTP first, which says so.
 */
export class TailSocket {
  private ws: WebSocket | undefined;
  private filter: TailFilter = {};
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** `subscribe` frames not yet answered: `log` frames before the answer match an older filter. */
  private unanswered = 0;
  private degraded = false;
  private stopped = false;

  constructor(
    private readonly url: string,
    private readonly api: ApiClient,
    private readonly events: TailSocketEvents,
  ) {}

  start(filter: TailFilter): void {
    this.filter = filter;
    this.open();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.ws?.close(1000, 'signed out');
    this.ws = undefined;
  }

  setFilter(filter: TailFilter): void {
    this.filter = filter;
    if (this.ws?.readyState === WebSocket.OPEN) this.subscribe(this.ws);
  }

  private open(): void {
    this.events.state('connecting');
    const ws = new WebSocket(this.url);
    this.ws = ws;
    let opened = false;
    ws.onopen = () => {
      opened = true;
      this.attempt = 0;
      this.unanswered = 0;
      this.events.connectionProblem(null);
      this.events.state('live');
      this.subscribe(ws);
    };
    ws.onmessage = (message) => {
      if (typeof message.data === 'string') this.receive(message.data);
    };
    ws.onclose = (event) => {
      if (this.ws !== ws || this.stopped) return;
      this.ws = undefined;
      if (event.code === 4401) {
        this.events.keyRefused('Your session has ended (the key was revoked or expired).');
        return;
      }
      this.retry(describeClose(event, opened));
    };
  }

  private subscribe(ws: WebSocket): void {
    this.unanswered++;
    ws.send(JSON.stringify({ event: 'subscribe', data: this.filter }));
  }

  private retry(why: string): void {
    const delay = backoffDelay(this.attempt++, RECONNECT_BACKOFF);
    const seconds = Math.max(1, Math.round(delay / 1000));
    this.events.connectionProblem(
      `${why} Reconnecting in ${seconds} s (attempt ${this.attempt}); entries stored meanwhile are not shown.`,
    );
    this.events.state('reconnecting');
    this.timer = setTimeout(() => void this.reconnect(), delay);
  }

  private async reconnect(): Promise<void> {
    try {
      await this.api.checkKey();
    } catch (error) {
      if (this.stopped) return;
      if (error instanceof ApiError && error.keyRefused)
        return this.events.keyRefused(error.message);
      return this.retry((error as Error).message);
    }
    if (!this.stopped) this.open();
  }

  private receive(text: string): void {
    let frame: Frame;
    try {
      frame = JSON.parse(text) as Frame;
    } catch {
      return; // not ours to show: the service only sends JSON
    }
    switch (frame.event) {
      case 'log':
        if (this.unanswered > 0 || typeof frame.data !== 'object' || frame.data === null) return;
        if (this.degraded) {
          this.degraded = false;
          this.events.tailProblem(null);
        }
        this.events.entry(frame.data as unknown as LogEntry);
        return;
      case 'subscribed':
        this.unanswered = Math.max(0, this.unanswered - 1);
        if (this.unanswered === 0) this.events.tailProblem(null);
        this.events.subscribed(frame.data?.filter);
        return;
      case 'dropped':
        this.events.dropped(Number(frame.data?.count) || 0);
        return;
      case 'error':
        return this.onError(frame.data ?? {});
    }
  }

  private onError(data: NonNullable<Frame['data']>): void {
    const status = Number(data.status);
    const message = typeof data.message === 'string' ? data.message.slice(0, 300) : '';
    if (status === 401 || status === 403) {
      this.events.keyRefused(
        status === 401
          ? 'Your session has ended (the key was revoked or expired).'
          : 'This key cannot read logs: sign in with a reader key (READ_API_KEYS).',
      );
      return;
    }
    if (status === 503) {
      this.degraded = true;
      this.events.tailProblem(
        `The live tail is degraded (${message}); entries stored meanwhile may be missing.`,
      );
      return;
    }
    // Any other error answers one of our `subscribe` frames (the only frames we send).
    this.unanswered = Math.max(0, this.unanswered - 1);
    this.events.tailProblem(`The service refused the filter: ${message}`);
  }
}

function describeClose(event: CloseEvent, opened: boolean): string {
  if (!opened) return 'Cannot open the live connection to the service.';
  if (event.code === 1012) return 'The service is restarting.';
  if (event.code === 1001) return 'The service went away.';
  if (event.code === 1006) return 'The connection to the service was lost.';
  const reason = event.reason ? `: ${event.reason.slice(0, 100)}` : '';
  return `The connection to the service closed (code ${event.code}${reason}).`;
}
