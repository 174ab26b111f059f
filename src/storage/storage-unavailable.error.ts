import { DomainError } from '../common/domain.error.js';

/** None of the entries of a store() call was stored: the client hears 503 and must resend. */
export class StorageUnavailableError extends DomainError {
  constructor(reason: string, options?: { cause: unknown }) {
    super(503, `storage unavailable: entries were not stored (${reason})`);
    if (options) this.cause = options.cause;
  }
}
