import type { ActiveSession } from '../contract/log-entry.dto.js';

/** What a key allows (SPEC §2): every key may ingest; reader keys may also tail and query. */
export type Scope = 'ingest' | 'read';

/** Who is on the other end of a connection, resolved once at the handshake. */
export interface Principal {
  /** Key name (static keys) or session user (session keys). */
  readonly name: string;
  readonly scopes: readonly Scope[];
  readonly session: ActiveSession;
  /** First 8 hex chars of sha256(key): the only form of a key that may appear in logs. */
  readonly keyId: string;
  /** The key of a session principal, kept (in memory only) to recheck the session in Redis. */
  readonly sessionKey?: string;
}

export function createPrincipal(
  name: string,
  scopes: readonly Scope[],
  session: ActiveSession,
  keyId: string,
  sessionKey?: string,
): Principal {
  return { name, scopes, session, keyId, sessionKey };
}
