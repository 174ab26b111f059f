import { DomainError } from '../common/domain.error.js';
import { validateEnv } from '../config/app.config.js';
import type { ActiveSession } from '../contract/log-entry.dto.js';
import { ApiKeyResolver } from './api-key.resolver.js';
import type { SessionRepository } from './session.repository.js';

const ALICE: ActiveSession = {
  user: 'alice',
  timestamp: '2026-01-21T10:30:00Z',
  ipaddress: '10.1.2.3',
};

/** A small stand-in for the Redis-backed repository (its real behaviour is covered in test/integration). */
function sessions(enabled: boolean, found: Record<string, ActiveSession> = {}, down = false) {
  return {
    enabled,
    find: async (key: string) => {
      if (down) throw new DomainError(503, 'session store unavailable');
      return found[key] ?? null;
    },
  } as unknown as SessionRepository;
}

describe(ApiKeyResolver.name, () => {
  const env = validateEnv({ API_KEYS: 'svc:k1', READ_API_KEYS: 'dash:r1' });

  it('resolves a static key to its name, stamping connect time and client ip', async () => {
    // Arrange
    const resolver = new ApiKeyResolver(env, sessions(false));

    // Act
    const principal = await resolver.resolve('k1', '10.0.0.9');

    // Assert
    expect(principal.name).toBe('svc');
    expect(principal.scopes).toEqual(['ingest']);
    expect(principal.session).toMatchObject({ user: 'svc', ipaddress: '10.0.0.9' });
    expect(Date.parse(principal.session.timestamp)).not.toBeNaN();
    expect(principal.sessionKey).toBeUndefined();
  });

  it('resolves a session key to its session, with ingest scope and the key kept for rechecks', async () => {
    // Arrange
    const resolver = new ApiKeyResolver(env, sessions(true, { tok: ALICE }));

    // Act
    const principal = await resolver.resolve('tok', '10.0.0.9');

    // Assert
    expect(principal.session).toEqual(ALICE);
    expect(principal.scopes).toEqual(['ingest']);
    expect(principal.sessionKey).toBe('tok');
    expect(principal.keyId).toMatch(/^[0-9a-f]{8}$/);
  });

  it('prefers a static key over a session with the same value', async () => {
    const resolver = new ApiKeyResolver(env, sessions(true, { k1: ALICE }));
    expect((await resolver.resolve('k1', '')).name).toBe('svc');
  });

  it.each([
    ['without Redis', sessions(false)],
    ['with Redis, no session', sessions(true)],
  ])('refuses an unknown key with 401 %s', async (_case, repo) => {
    await expect(new ApiKeyResolver(env, repo).resolve('nope', '')).rejects.toMatchObject({
      status: 401,
    });
  });

  it('answers 503, not 401, when the session store is down', async () => {
    const resolver = new ApiKeyResolver(env, sessions(true, {}, true));
    await expect(resolver.resolve('tok', '')).rejects.toMatchObject({ status: 503 });
  });
});
