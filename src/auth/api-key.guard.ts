import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError } from '../common/domain.error.js';
import { REQUIRED_SCOPE } from './auth.constants.js';
import type { Principal, Scope } from './principal.js';

/** Anything carrying the principal resolved at its handshake (a WebSocket of the ingest gateway). */
export interface Authenticated {
  principal?: Principal;
}

/**
 * Checks the principal that the handshake resolved (the key itself was checked before the
 * upgrade, so an unauthenticated socket never exists) against the handler's @RequireScope().
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  /** Required scope per handler: the guard runs for every frame, the metadata never changes. */
  private readonly scopes = new WeakMap<object, Scope | null>();

  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const principal = context.switchToWs().getClient<Authenticated>().principal;
    if (!principal) throw new DomainError(401, 'not authenticated');
    const scope = this.requiredScope(context.getHandler());
    if (scope && !principal.scopes.includes(scope)) {
      throw new DomainError(403, `missing scope: ${scope}`);
    }
    return true;
  }

  private requiredScope(handler: object): Scope | null {
    let scope = this.scopes.get(handler);
    if (scope === undefined) {
      scope = this.reflector.get<Scope | undefined>(REQUIRED_SCOPE, handler as never) ?? null;
      this.scopes.set(handler, scope);
    }
    return scope;
  }
}
