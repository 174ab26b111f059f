import { DomainError } from '../common/domain.error.js';
import { validateEnv } from '../config/app.config.js';
import type { ActiveSession } from '../contract/log-entry.dto.js';
import { createPrincipal, type Principal } from './principal.js';
import type { Revocable } from './revocable.js';
import type { SessionRepository } from './session.repository.js';
import { SessionWatcher } from './session.watcher.js';

const ALICE: ActiveSession = {
  user: 'alice',
  timestamp: '2026-01-21T10:30:00Z',
  ipaddress: '10.1.2.3',
};

class FakeConnection implements Revocable {
  revoked = false;
  constructor(public principal: Principal) {}
  revoke() {
    this.revoked = true;
  }
  renew(principal: Principal) {
    this.principal = principal;
  }
}

const sessionConnection = (key: string) =>
  new FakeConnection(createPrincipal('alice', ['ingest'], ALICE, 'abcd1234', key));

/** Stands in for the Redis-backed repository (covered against real Redis in test/integration). */
function repository(store: Map<string, ActiveSession>, down = { value: false }) {
  const calls: string[][] = [];
  const repo = {
    findMany: async (keys: readonly string[]) => {
      calls.push([...keys]);
      if (down.value) throw new DomainError(503, 'session store unavailable');
      return keys.map((k) => store.get(k) ?? null);
    },
  } as unknown as SessionRepository;
  return { repo, calls };
}

describe(SessionWatcher.name, () => {
  const env = validateEnv({});

  it('revokes every connection of a session that is gone, with one lookup per key', async () => {
    // Arrange
    const store = new Map([['kept', ALICE]]);
    const { repo, calls } = repository(store);
    const watcher = new SessionWatcher(null, repo, env, null);
    const gone = [sessionConnection('gone'), sessionConnection('gone')];
    const kept = sessionConnection('kept');
    for (const c of [...gone, kept]) watcher.watch(c);

    // Act
    await watcher.recheck();

    // Assert
    expect(gone.map((c) => c.revoked)).toEqual([true, true]);
    expect(kept.revoked).toBe(false);
    expect(calls).toEqual([['gone', 'kept']]);
  });

  it('renews the principal of connections whose session changed', async () => {
    // Arrange
    const moved = { ...ALICE, ipaddress: '10.9.9.9' };
    const { repo } = repository(new Map([['k', moved]]));
    const watcher = new SessionWatcher(null, repo, env, null);
    const connection = sessionConnection('k');
    watcher.watch(connection);

    // Act
    await watcher.recheck();

    // Assert
    expect(connection.revoked).toBe(false);
    expect(connection.principal.session).toEqual(moved);
    expect(connection.principal.sessionKey).toBe('k');
  });

  it('revokes nothing while the session store is down', async () => {
    // Arrange
    const { repo } = repository(new Map(), { value: true });
    const watcher = new SessionWatcher(null, repo, env, null);
    const connection = sessionConnection('k');
    watcher.watch(connection);

    // Act
    await watcher.recheck();

    // Assert
    expect(connection.revoked).toBe(false);
  });

  it('ignores static-key connections and forgets unwatched ones', async () => {
    // Arrange
    const { repo, calls } = repository(new Map());
    const watcher = new SessionWatcher(null, repo, env, null);
    const staticKey = new FakeConnection(createPrincipal('svc', ['ingest'], ALICE, 'abcd1234'));
    const left = sessionConnection('k');
    watcher.watch(staticKey);
    watcher.watch(left);
    watcher.unwatch(left);

    // Act
    await watcher.recheck();

    // Assert
    expect(calls).toEqual([]);
    expect(left.revoked).toBe(false);
  });
});
