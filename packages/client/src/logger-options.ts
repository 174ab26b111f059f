/** Reconnect policy (SPEC §9): exponential backoff with full jitter. */
export interface ReconnectOptions {
  /** First backoff ceiling in ms (100). */
  minDelayMs?: number;
  /** Largest backoff ceiling in ms (10000). */
  maxDelayMs?: number;
  /** Consecutive failed connection attempts after which the logger gives up (Infinity). */
  maxRetries?: number;
}

/** What `createLogger` takes (SPEC §9). */
export interface LoggerOptions {
  /** The WebSocket endpoint, e.g. `ws://host:3000/ws`, or several tried in turn on reconnect. */
  url: string | readonly string[];
  apiKey: string;
  /** Default `project` of every entry. */
  project: string;
  /** Default `system` of every entry. */
  system: string;
  /** Names an exactly-once producer stream (SPEC §8): 1..64 of `A-Za-z0-9_.-`. */
  producerId?: string;
  /** Entries per `batch` frame (100). */
  batchSize?: number;
  /** How long a partial batch waits for more entries, in ms (50). */
  lingerMs?: number;
  /** Entries held at most, queued or in flight (10000). */
  maxBuffered?: number;
  /** What a full buffer does: drop the oldest unsent entry (default) or make the caller wait. */
  onFull?: 'drop-oldest' | 'block';
  reconnect?: ReconnectOptions;
}

/** The options with every default filled in and every value checked. */
export interface ResolvedOptions {
  urls: readonly string[];
  apiKey: string;
  project: string;
  system: string;
  producerId: string | undefined;
  batchSize: number;
  lingerMs: number;
  maxBuffered: number;
  onFull: 'drop-oldest' | 'block';
  minDelayMs: number;
  maxDelayMs: number;
  maxRetries: number;
}

const PRODUCER_ID = /^[A-Za-z0-9_.-]{1,64}$/;

/** Fills in the SPEC §9 defaults; throws a TypeError naming the first bad option. */
export function resolveOptions(options: LoggerOptions): ResolvedOptions {
  const urls = typeof options.url === 'string' ? [options.url] : [...(options.url ?? [])];
  if (urls.length === 0 || urls.some((u) => !/^wss?:\/\//.test(u))) {
    throw new TypeError(`url must be a ws:// or wss:// URL or a non-empty list of them`);
  }
  for (const name of ['apiKey', 'project', 'system'] as const) {
    if (typeof options[name] !== 'string' || options[name] === '') {
      throw new TypeError(`${name} must be a non-empty string`);
    }
  }
  if (options.producerId !== undefined && !PRODUCER_ID.test(options.producerId)) {
    throw new TypeError(`producerId must be 1..64 of A-Za-z0-9_.-, got ${options.producerId}`);
  }
  const onFull = options.onFull ?? 'drop-oldest';
  if (onFull !== 'drop-oldest' && onFull !== 'block') {
    throw new TypeError(`onFull must be 'drop-oldest' or 'block', got ${String(onFull)}`);
  }
  const reconnect = options.reconnect ?? {};
  const resolved: ResolvedOptions = {
    urls,
    apiKey: options.apiKey,
    project: options.project,
    system: options.system,
    producerId: options.producerId,
    batchSize: count('batchSize', options.batchSize ?? 100, 1),
    lingerMs: count('lingerMs', options.lingerMs ?? 50, 0),
    maxBuffered: count('maxBuffered', options.maxBuffered ?? 10_000, 1),
    onFull,
    minDelayMs: count('reconnect.minDelayMs', reconnect.minDelayMs ?? 100, 0),
    maxDelayMs: count('reconnect.maxDelayMs', reconnect.maxDelayMs ?? 10_000, 0),
    maxRetries: reconnect.maxRetries ?? Infinity,
  };
  if (!(resolved.maxRetries === Infinity || Number.isSafeInteger(resolved.maxRetries))) {
    throw new TypeError(`reconnect.maxRetries must be an integer or Infinity`);
  }
  if (resolved.maxRetries < 1) throw new TypeError(`reconnect.maxRetries must be at least 1`);
  return resolved;
}

function count(name: string, value: number, min: number): number {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new TypeError(`${name} must be an integer ≥ ${min}, got ${String(value)}`);
  }
  return value;
}
