import type { LogEntry } from './lib/log-entry.js';

/** Why the service did not answer as hoped, in words a person can act on. */
export class ApiError extends Error {
  constructor(
    /** HTTP status, or 0 when the service could not be reached at all. */
    readonly status: number,
    message: string,
  ) {
    super(message);
  }

  /** The key itself is the problem (unknown, or not a reader key): asking again cannot help. */
  get keyRefused(): boolean {
    return this.status === 401 || this.status === 403;
  }
}

export interface StatsAnswer {
  total: number;
  byLevel: Record<string, number>;
  byProject: Record<string, number>;
  series?: { at: string; total: number; byLevel: Record<string, number> }[];
}

interface LogsPage {
  entries: LogEntry[];
  next: string | null;
}

const TIMEOUT_MS = 15_000;

/** GET requests to the service's own origin with the reader key in `x-api-key` (SPEC §10). */
export class ApiClient {
  constructor(private readonly key: string) {}

  /**
   * Checks the key over HTTP with the cheapest read there is (one minute of stats).
   * @throws ApiError saying what is wrong.
   */
  async checkKey(): Promise<void> {
    const now = Date.now();
    await this.get<StatsAnswer>('/stats', {
      from: new Date(now - 60_000).toISOString(),
      to: new Date(now).toISOString(),
    });
  }

  stats(params: Record<string, string | undefined>): Promise<StatsAnswer> {
    return this.get<StatsAnswer>('/stats', params);
  }

  logs(params: Record<string, string | undefined>): Promise<LogsPage> {
    return this.get<LogsPage>('/logs', params);
  }

  private async get<T>(path: string, params: Record<string, string | undefined>): Promise<T> {
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(params)) {
      if (value !== undefined) query.set(name, value);
    }
    let res: Response;
    try {
      res = await fetch(`${path}?${query.toString()}`, {
        headers: { 'x-api-key': this.key },
        cache: 'no-store',
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (error) {
      throw new ApiError(0, `Cannot reach the service (${(error as Error).message}).`);
    }
    if (res.ok) return (await res.json()) as T;
    throw new ApiError(res.status, await describeRefusal(res));
  }
}

async function describeRefusal(res: Response): Promise<string> {
  const body = (await res.json().catch(() => ({}))) as { message?: unknown };
  const detail = typeof body.message === 'string' ? ` (${body.message.slice(0, 200)})` : '';
  switch (res.status) {
    case 401:
      return 'The key was refused: the service does not know it.';
    case 403:
      return 'This key cannot read logs: sign in with a reader key (READ_API_KEYS).';
    case 503:
      return `The service cannot answer right now${detail}.`;
    default:
      return `The service answered ${res.status}${detail}.`;
  }
}
