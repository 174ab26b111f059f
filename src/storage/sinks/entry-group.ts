/**
 * The entries one sink.write call stores: one StorageService group (the store() calls of one
 * event-loop turn, one receipt day). `writer` and `seq` are its stable identity, fixed at receipt
 * and kept in the spool, so that a replay writes the same group under the same id again.
 *
 * Invariant the `redis` sink relies on: the groups of one writer reach a sink in increasing `seq`
 * order (StorageService commits them in order, a sink's spool replays them in order, and a group
 * is sent directly only while its sink's spool is empty).
 */
export interface EntryGroup {
  /** Random per StorageService instance (so per process); never reused. */
  readonly writer: string;
  /** 1, 2, 3… per writer, in commit order; gaps allowed. */
  readonly seq: number;
  /** UTC receipt day of every line, `YYYY-MM-DD`. */
  readonly day: string;
  /** Serialized entries (SPEC §1), one JSON object each, no trailing newline. Never empty. */
  readonly lines: readonly string[];
  /**
   * The producer-stream batches (SPEC §8) among `lines`, in line order; absent when there are none.
   * Their entries take ids from the stream, not the group, so that the same batch resent to any
   * instance gets the same ids again and a sink that skips ids it holds stores it once.
   */
  readonly streams?: readonly StreamMark[];
}

/** One producer batch inside a group: lines `from .. from + count - 1`. */
export interface StreamMark {
  /** The producer state's name of the stream (`streamKey`). */
  readonly key: string;
  /** Random per stream incarnation (a new one once its state expired), so old ids never recur. */
  readonly epoch: string;
  readonly seq: number;
  readonly from: number;
  readonly count: number;
}

/**
 * The stable id of entry `index` of `group`: `${writer}.${seq}.${index}`, or for an entry of a
 * producer batch `p.${epoch}.${batch seq}.${index in the batch}`. Sinks that store ids build them
 * themselves, while writing, so the hot path allocates nothing per entry for them.
 */
export function entryId(group: EntryGroup, index: number): string {
  const mark = group.streams?.find((m) => index >= m.from && index < m.from + m.count);
  if (mark) return `p.${mark.epoch}.${mark.seq}.${index - mark.from}`;
  return `${group.writer}.${group.seq}.${index}`;
}

/** How many entries `groups` hold together. */
export function countEntries(groups: readonly EntryGroup[]): number {
  let n = 0;
  for (let i = 0; i < groups.length; i++) n += groups[i].lines.length;
  return n;
}
