import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError } from '../common/domain.error.js';
import { ApiKeyGuard } from './api-key.guard.js';
import { REQUIRED_SCOPE } from './auth.constants.js';
import { createPrincipal, type Scope } from './principal.js';

const SESSION = { user: 'svc', timestamp: '2026-01-21T10:30:00Z', ipaddress: '10.0.0.1' };

function contextFor(scopes: Scope[] | null, required?: Scope): ExecutionContext {
  const handler = () => undefined;
  if (required) Reflect.defineMetadata(REQUIRED_SCOPE, required, handler);
  const client = scopes ? { principal: createPrincipal('svc', scopes, SESSION, 'abcd1234') } : {};
  return {
    switchToWs: () => ({ getClient: () => client }),
    getHandler: () => handler,
  } as unknown as ExecutionContext;
}

describe(ApiKeyGuard.name, () => {
  const guard = new ApiKeyGuard(new Reflector());

  it('lets an ingest key call a handler without a required scope', () => {
    expect(guard.canActivate(contextFor(['ingest']))).toBe(true);
  });

  it('refuses a handler needing read to an ingest-only key with 403', () => {
    // Act
    const act = () => guard.canActivate(contextFor(['ingest'], 'read'));

    // Assert
    expect(act).toThrow(DomainError);
    expect(act).toThrow('missing scope: read');
  });

  it('lets a reader key call a handler needing read', () => {
    expect(guard.canActivate(contextFor(['ingest', 'read'], 'read'))).toBe(true);
  });

  it('refuses a socket without a principal with 401', () => {
    // Act
    let error: unknown;
    try {
      guard.canActivate(contextFor(null));
    } catch (e) {
      error = e;
    }

    // Assert
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).status).toBe(401);
  });
});
