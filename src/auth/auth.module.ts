import { Module } from '@nestjs/common';
import { ApiKeyGuard } from './api-key.guard.js';
import { ApiKeyResolver } from './api-key.resolver.js';
import { HttpApiKeyGuard } from './http-api-key.guard.js';
import { SessionRepository } from './session.repository.js';
import { SessionWatcher } from './session.watcher.js';

@Module({
  providers: [ApiKeyResolver, ApiKeyGuard, HttpApiKeyGuard, SessionRepository, SessionWatcher],
  exports: [ApiKeyResolver, ApiKeyGuard, HttpApiKeyGuard, SessionWatcher],
})
export class AuthModule {}
