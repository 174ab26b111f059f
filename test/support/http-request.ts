import { Agent, request, type IncomingHttpHeaders } from 'node:http';

export interface HttpReply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
}

export interface HttpRequestOptions {
  method?: string;
  headers?: Record<string, string | number>;
  /** The body, written piece by piece with `req.write` (so the server sees these chunks). */
  chunks?: readonly (string | Buffer)[];
  timeoutMs?: number;
  /** Ask for a keep-alive connection (a fresh agent, destroyed after the answer). */
  keepAlive?: boolean;
}

/**
 * One request without keep-alive; resolves with the whole answer. A server that answers before
 * it has read the body (413) may close the socket while pieces are still being written: write
 * errors after the answer has begun are expected then and ignored. Rejects on a network error
 * before any answer, and when no answer comes within `timeoutMs`.
 */
export function httpRequest(url: string, options: HttpRequestOptions = {}): Promise<HttpReply> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const agent = options.keepAlive ? new Agent({ keepAlive: true }) : false;
  const answer = new Promise<HttpReply>((resolve, reject) => {
    let answered = false;
    const req = request(
      url,
      {
        method: options.method ?? 'GET',
        headers: options.headers,
        agent,
        timeout: timeoutMs,
      },
      (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: parse(body) });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${url} answered nothing in ${timeoutMs} ms`)));
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    void writeAll(req, options.chunks ?? []).then(
      () => req.end(),
      () => undefined,
    );
  });
  return agent ? answer.finally(() => agent.destroy()) : answer;
}

/** Writes each piece in its own turn of the event loop, respecting backpressure. */
async function writeAll(
  req: ReturnType<typeof request>,
  chunks: readonly (string | Buffer)[],
): Promise<void> {
  for (const chunk of chunks) {
    if (req.destroyed) throw new Error('request destroyed');
    if (!req.write(chunk)) await new Promise((resolve) => req.once('drain', resolve));
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** POST `chunks` to `url` with an API key and a content type (null: no Content-Type header). */
export function postLogs(
  url: string,
  key: string | undefined,
  chunks: readonly (string | Buffer)[],
  contentType: string | null = 'application/x-ndjson',
  headers: Record<string, string | number> = {},
  keepAlive = false,
): Promise<HttpReply> {
  const all: Record<string, string | number> = { ...headers };
  if (key !== undefined) all['x-api-key'] = key;
  if (contentType !== null) all['content-type'] = contentType;
  return httpRequest(`${url}/logs`, { method: 'POST', headers: all, chunks, keepAlive });
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
