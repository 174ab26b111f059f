import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { IncomingMessage } from 'node:http';
import { DomainError } from '../common/domain.error.js';
import { API_KEY_HEADER } from './api-key.extractor.js';
import { ApiKeyResolver } from './api-key.resolver.js';
import { REQUIRED_SCOPE } from './auth.constants.js';
import type { Principal, Scope } from './principal.js';

/** An HTTP request once HttpApiKeyGuard let it through. */
export type AuthenticatedRequest = IncomingMessage & { principal: Principal };

/**
 * Authenticates each HTTP request by its `x-api-key` header (SPEC §2: HTTP takes the header
 * only), resolved like a WebSocket handshake, and checks the handler's @RequireScope() (else
 * `ingest`). The principal's session timestamp is the request time.
 * @throws DomainError 401 missing/unknown/ambiguous key, 403 missing scope, 503 session store down.
 */
@Injectable()
export class HttpApiKeyGuard implements CanActivate {
  private readonly scopes = new WeakMap<object, Scope>();

  constructor(
    private readonly resolver: ApiKeyResolver,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const key = req.headers[API_KEY_HEADER];
    if (typeof key !== 'string' || key === '') {
      throw new DomainError(401, `missing or ambiguous ${API_KEY_HEADER} header`);
    }
    const principal = await this.resolver.resolve(key, req.socket.remoteAddress ?? '');
    const scope = this.requiredScope(context.getHandler());
    if (!principal.scopes.includes(scope)) throw new DomainError(403, `missing scope: ${scope}`);
    req.principal = principal;
    return true;
  }

  private requiredScope(handler: object): Scope {
    let scope = this.scopes.get(handler);
    if (scope === undefined) {
      scope = this.reflector.get<Scope | undefined>(REQUIRED_SCOPE, handler as never) ?? 'ingest';
      this.scopes.set(handler, scope);
    }
    return scope;
  }
}
