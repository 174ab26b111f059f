import type { EntryGroup } from './entry-group.js';

/**
 * Where stored entries go: one implementation per `STORAGE` kind (SPEC §5), picked once at boot by
 * `createLogSink`. "Ack means stored" (SPEC §3) rests on this contract, so every implementation
 * keeps it exactly.
 *
 * Adding a kind: one `*.sink.ts` implementing this interface and one `case` in createLogSink.
 */
export interface LogSink {
  /** The `STORAGE` kind this sink implements (`file`, `redis`, `postgres`); used in logs and metrics. */
  readonly kind: string;

  /**
   * Stores the entries of `groups`, in order.
   *
   * @param groups One group from StorageService, or several consecutive ones when a spool replays.
   *   Never empty, nor is any group. Each entry has a stable id (`entryId`): a sink that can
   *   should store it beside the entry (never inside the JSON) and skip ids it already holds, so
   *   that writing a group again after a partial or abandoned write stores nothing twice.
   * @returns A promise that resolves only once every entry is stored to this sink's durability
   *   promise (file: the write(2) has returned, so the lines survive `kill -9` of the process).
   *   The caller acks the entries only then. A rejection means the write may be partial and none
   *   of its entries may be acked.
   *
   * StorageService waits for one write to settle before the next. A sink behind a breaker
   * (GuardedSink) must also tolerate a write that starts while an earlier one, abandoned after
   * its timeout, still runs.
   */
  write(groups: readonly EntryGroup[]): Promise<void>;

  /** Resolves when the sink can accept writes, throws (with the cause) when not; for readiness. */
  check(): Promise<void>;

  /** Releases the sink's resources; called once, after the last write has settled. */
  close(): Promise<void>;
}
