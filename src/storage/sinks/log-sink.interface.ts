/**
 * Where stored entries go: one implementation per `STORAGE` kind (SPEC §5), picked once at boot by
 * `createLogSink`. "Ack means stored" (SPEC §3) rests on this contract, so every implementation
 * keeps it exactly.
 */
export interface LogSink {
  /** The `STORAGE` kind this sink implements (`file`, `redis`, `postgres`); used in logs and metrics. */
  readonly kind: string;

  /**
   * Stores `lines` in order.
   *
   * @param day UTC receipt day of every line, `YYYY-MM-DD`.
   * @param lines Serialized entries: one JSON object each, without a trailing newline. Never empty.
   * @returns A promise that resolves only once every line is stored to this sink's durability
   *   promise (file: the write(2) has returned, so the lines survive `kill -9` of the process).
   *   The caller acks the lines only then. A rejection means the write may be partial and none of
   *   the lines of this call may be acked.
   *
   * Never called concurrently: StorageService waits for one write to settle before the next.
   */
  write(day: string, lines: readonly string[]): Promise<void>;

  /** Resolves when the sink can accept writes, throws (with the cause) when not; for readiness. */
  check(): Promise<void>;

  /** Releases the sink's resources; called once, after the last write has settled. */
  close(): Promise<void>;
}
