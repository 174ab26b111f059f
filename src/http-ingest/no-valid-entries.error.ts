import { DomainError } from '../common/domain.error.js';
import type { RejectedEntry } from '../contract/check-entries.util.js';
import type { WithHttpExtra } from '../http/http-exception.filter.js';

/** POST /logs held no valid entry (SPEC §4): 400, nothing stored, every rejection listed. */
export class NoValidEntriesError extends DomainError implements WithHttpExtra {
  readonly httpExtra: { accepted: 0; rejected: readonly RejectedEntry[] };

  constructor(rejected: readonly RejectedEntry[]) {
    super(
      400,
      rejected.length === 0 ? 'no log entries in the body' : 'no valid log entry in the body',
      rejected[0]?.errors,
    );
    this.httpExtra = { accepted: 0, rejected };
  }
}
