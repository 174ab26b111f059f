import type { Scope } from './principal.js';
import { digestsEqual, sha256 } from './key-digest.util.js';

export interface StaticKey {
  readonly name: string;
  readonly scopes: readonly Scope[];
  readonly digest: Buffer;
}

const INGEST: readonly Scope[] = ['ingest'];
const READ: readonly Scope[] = ['ingest', 'read'];

/** Parses `API_KEYS` and `READ_API_KEYS` (`name:key,name:key`; already shape-checked at boot). */
export function parseStaticKeys(apiKeys = '', readApiKeys = ''): StaticKey[] {
  const parse = (list: string, scopes: readonly Scope[]) =>
    list
      .split(',')
      .filter(Boolean)
      .map((pair) => {
        const i = pair.indexOf(':');
        return { name: pair.slice(0, i).trim(), scopes, digest: sha256(pair.slice(i + 1).trim()) };
      });
  return [...parse(apiKeys, INGEST), ...parse(readApiKeys, READ)];
}

/**
 * Finds the static key matching `presented`. Every configured key is compared, match or not, so
 * the time taken does not depend on which key (if any) matched.
 */
export function matchStaticKey(keys: readonly StaticKey[], presented: string): StaticKey | null {
  const digest = sha256(presented);
  let match: StaticKey | null = null;
  for (const key of keys) {
    if (digestsEqual(digest, key.digest) && match === null) match = key;
  }
  return match;
}
