import type { StreamMark } from './entry-group.js';

/**
 * Where the `file` sink notes the producer batches (SPEC §8) of a group before appending it,
 * so that their seqs count as recorded exactly when the append happened, even if the process is
 * killed right after it: `file` has no entry ids that could make a resend a no-op. Implemented by
 * the producer state in LOG_DIR (FileProducerStateStore); with Redis there is none.
 */
export interface ProducerLedger {
  /**
   * Durably notes that `marks` are about to be appended to day file `day` as the `length` bytes
   * at `offset`, whose CRC-32 is `crc`. At boot the note counts as the seqs' record iff those
   * bytes are there with that CRC. Resolves once the note is written (fdatasync'd with FSYNC=always).
   */
  intend(
    marks: readonly StreamMark[],
    day: string,
    offset: number,
    length: number,
    crc: number,
  ): Promise<void>;
  /** The append of `marks` returned: their seqs are stored (and recorded, by the note). */
  stored(marks: readonly StreamMark[]): void;
  /** The append of `marks` failed: they are not stored (a torn part fails the note's CRC). */
  abandoned(marks: readonly StreamMark[]): void;
}
