import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError } from '../common/domain.error.js';
import type { ApiKeyResolver } from './api-key.resolver.js';
import { REQUIRED_SCOPE } from './auth.constants.js';
import { HttpApiKeyGuard, type AuthenticatedRequest } from './http-api-key.guard.js';
import { createPrincipal, type Principal, type Scope } from './principal.js';

const SESSION = { user: 'svc', timestamp: '2026-01-21T10:30:00Z', ipaddress: '10.0.0.1' };

/** A resolver that knows one key, granting `scopes`. */
function resolverFor(key: string, scopes: Scope[]): ApiKeyResolver {
  return {
    resolve: (presented: string, ip: string): Promise<Principal> =>
      presented === key
        ? Promise.resolve(createPrincipal('svc', scopes, { ...SESSION, ipaddress: ip }, 'abcd1234'))
        : Promise.reject(new DomainError(401, 'unknown API key')),
  } as unknown as ApiKeyResolver;
}

function contextFor(headers: Record<string, unknown>, required?: Scope) {
  const handler = () => undefined;
  if (required) Reflect.defineMetadata(REQUIRED_SCOPE, required, handler);
  const req = { headers, socket: { remoteAddress: '10.1.2.3' } } as unknown as AuthenticatedRequest;
  const context = {
    switchToHttp: () => ({ getRequest: () => req }),
    getHandler: () => handler,
  } as unknown as ExecutionContext;
  return { context, req };
}

describe(HttpApiKeyGuard.name, () => {
  const guard = new HttpApiKeyGuard(resolverFor('good', ['ingest']), new Reflector());

  it('resolves the x-api-key header and puts the principal, with the client IP, on the request', async () => {
    // Arrange
    const { context, req } = contextFor({ 'x-api-key': 'good' });

    // Act
    const allowed = await guard.canActivate(context);

    // Assert
    expect(allowed).toBe(true);
    expect(req.principal.name).toBe('svc');
    expect(req.principal.session.ipaddress).toBe('10.1.2.3');
  });

  it.each([
    ['no header', {}],
    ['an empty header', { 'x-api-key': '' }],
    ['the header twice', { 'x-api-key': ['good', 'good'] }],
  ])('refuses %s with 401', async (_what, headers) => {
    await expect(guard.canActivate(contextFor(headers).context)).rejects.toMatchObject({
      status: 401,
    });
  });

  it('passes on the resolver’s 401 for an unknown key', async () => {
    await expect(
      guard.canActivate(contextFor({ 'x-api-key': 'bad' }).context),
    ).rejects.toMatchObject({
      status: 401,
    });
  });

  it('refuses a handler that needs read to an ingest-only key with 403', async () => {
    const { context, req } = contextFor({ 'x-api-key': 'good' }, 'read');
    await expect(guard.canActivate(context)).rejects.toMatchObject({ status: 403 });
    expect(req.principal).toBeUndefined();
  });

  it('lets a reader key call a read handler', async () => {
    const reader = new HttpApiKeyGuard(resolverFor('r', ['ingest', 'read']), new Reflector());
    await expect(
      reader.canActivate(contextFor({ 'x-api-key': 'r' }, 'read').context),
    ).resolves.toBe(true);
  });
});
