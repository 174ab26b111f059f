import type { Principal } from './principal.js';

/** An open connection authenticated by a session key, as the SessionWatcher sees it. */
export interface Revocable {
  readonly principal: Principal;
  /** The session is gone: answer 401, close with 4401 (SPEC §2). */
  revoke(): void;
  /** The session still exists but changed: stamp later entries with the new one. */
  renew(principal: Principal): void;
}
