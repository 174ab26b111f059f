import { Module } from '@nestjs/common';
import { ApiKeyGuard } from './api-key.guard.js';
import { ApiKeyResolver } from './api-key.resolver.js';

@Module({
  providers: [ApiKeyResolver, ApiKeyGuard],
  exports: [ApiKeyResolver, ApiKeyGuard],
})
export class AuthModule {}
