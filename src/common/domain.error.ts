/** One problem with one field of the input, as sent in `error.data.errors` (SPEC §3). */
export interface FieldError {
  field: string;
  message: string;
}

/**
 * An error the client caused or must know about. `status` follows HTTP semantics (400 bad input,
 * 401 unknown key, 403 missing scope, 503 dependency down); the gateway's exception filter is the
 * one place that turns it into an `error` frame, a close code or an HTTP status.
 */
export class DomainError extends Error {
  override readonly name = 'DomainError';

  constructor(
    readonly status: number,
    message: string,
    readonly errors?: readonly FieldError[],
    /** More of `error.data` for the client, e.g. `retryAfterMs` of a 429 (SPEC §3). */
    readonly details?: Readonly<Record<string, number | string>>,
  ) {
    super(message);
  }
}
