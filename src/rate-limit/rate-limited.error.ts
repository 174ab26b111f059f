import { DomainError } from '../common/domain.error.js';

/** A frame or request over its key's rate (SPEC §3): nothing of it was stored; retry later. */
export class RateLimitedError extends DomainError {
  constructor(retryAfterMs: number) {
    super(429, 'rate limit exceeded: nothing of this was stored, retry later', undefined, {
      retryAfterMs,
    });
  }
}
