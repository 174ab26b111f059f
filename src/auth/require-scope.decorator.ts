import { SetMetadata } from '@nestjs/common';
import { REQUIRED_SCOPE } from './auth.constants.js';
import type { Scope } from './principal.js';

/** The scope a gateway handler needs beyond `ingest`, checked by ApiKeyGuard. */
export const RequireScope = (scope: Scope) => SetMetadata(REQUIRED_SCOPE, scope);
