/** What an `Origin` header means for a request (SPEC §3). */
export type OriginVerdict = 'none' | 'same' | 'listed' | 'refused';

/**
 * ALLOWED_ORIGINS (SPEC §3): with a list, a browser request whose `Origin` is neither listed nor
 * the service's own (same scheme-less host:port as its `Host`) is refused; requests without
 * `Origin` (servers, shippers) are not affected. Without a list every origin counts as listed.
 */
export class OriginPolicy {
  private readonly allowed: ReadonlySet<string> | null;

  constructor(allowed: readonly string[] | undefined) {
    this.allowed = allowed === undefined ? null : new Set(allowed.map(normalizeOrigin));
  }

  judge(origin: string | string[] | undefined, host: string | undefined): OriginVerdict {
    if (origin === undefined) return 'none';
    if (Array.isArray(origin)) return this.allowed === null ? 'listed' : 'refused';
    const normalized = normalizeOrigin(origin);
    if (host !== undefined && isSameOrigin(normalized, host)) return 'same';
    if (this.allowed === null || this.allowed.has(normalized)) return 'listed';
    return 'refused';
  }
}

/**
 * `scheme://host[:port]` lowercased, a default port dropped (what browsers send); anything that
 * is not an http(s) origin (`null`, garbage) normalizes to itself and so matches nothing listed.
 */
export function normalizeOrigin(origin: string): string {
  const url = parse(origin.trim());
  if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:')) return origin;
  return `${url.protocol}//${url.host}`;
}

/** Whether `origin` (normalized) names the host:port that the request's `Host` names. */
function isSameOrigin(origin: string, host: string): boolean {
  const scheme = origin.startsWith('https://')
    ? 'https:'
    : origin.startsWith('http://')
      ? 'http:'
      : null;
  if (scheme === null) return false;
  const own = parse(`${scheme}//${host.trim()}`);
  return own !== null && own.pathname === '/' && `${scheme}//${own.host}` === origin;
}

function parse(text: string): URL | null {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}
