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
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const principal = context.switchToWs().getClient<Authenticated>().principal;
    if (!principal) throw new DomainError(401, 'not authenticated');
    const scope = this.reflector.get<Scope | undefined>(REQUIRED_SCOPE, context.getHandler());
    if (scope && !principal.scopes.includes(scope)) {
      throw new DomainError(403, `missing scope: ${scope}`);
    }
    return true;
  }
}
