import type { IncomingMessage } from 'node:http';

export const API_KEY_HEADER = 'x-api-key';

/**
 * Reads the key from `x-api-key` or `?apiKey=` (SPEC §2). Returns null when the key is missing or
 * ambiguous (given twice, or header and query disagree): both are refused as unauthorized.
 */
export function extractApiKey(req: IncomingMessage): string | null {
  const header = req.headers[API_KEY_HEADER];
  if (Array.isArray(header)) return null;
  const queryKeys = queryApiKeys(req.url ?? '');
  if (queryKeys.length > 1) return null;
  const query = queryKeys[0];
  if (header !== undefined && query !== undefined && header !== query) return null;
  const key = header ?? query;
  return key ? key : null;
}

function queryApiKeys(url: string): string[] {
  const q = url.indexOf('?');
  if (q === -1) return [];
  return new URLSearchParams(url.slice(q + 1)).getAll('apiKey');
}
