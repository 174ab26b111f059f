import { Injectable } from '@nestjs/common';
import { DomainError } from '../common/domain.error.js';
import { EnvDto } from '../config/env.dto.js';
import { keyId } from './key-digest.util.js';
import { createPrincipal, type Principal, type Scope } from './principal.js';
import { SessionRepository } from './session.repository.js';
import { matchStaticKey, parseStaticKeys, type StaticKey } from './static-keys.js';

const SESSION_SCOPES: readonly Scope[] = ['ingest'];

/**
 * Turns a presented API key into a Principal, in the order of SPEC §2: static service keys, static
 * reader keys (both work without Redis), then session keys from Redis. Called once per handshake.
 */
@Injectable()
export class ApiKeyResolver {
  private readonly staticKeys: readonly StaticKey[];

  constructor(
    env: EnvDto,
    private readonly sessions: SessionRepository,
  ) {
    this.staticKeys = parseStaticKeys(env.API_KEYS, env.READ_API_KEYS);
  }

  /** @throws DomainError 401 for an unknown key, 503 when the session store cannot answer. */
  async resolve(key: string, ipaddress: string): Promise<Principal> {
    const known = matchStaticKey(this.staticKeys, key);
    if (known) {
      const session = { user: known.name, timestamp: new Date().toISOString(), ipaddress };
      return createPrincipal(known.name, known.scopes, session, keyId(key));
    }
    const session = this.sessions.enabled ? await this.sessions.find(key) : null;
    if (!session) throw new DomainError(401, 'unknown API key');
    return createPrincipal(session.user, SESSION_SCOPES, session, keyId(key), key);
  }
}
