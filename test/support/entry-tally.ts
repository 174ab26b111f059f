import { readStoredFiles } from './stored.js';

/** How the entries a producer handed over ended up in storage. */
export interface EntryTally {
  /** Handed over, never stored. */
  lost: string[];
  /** Stored copies beyond the first, summed over all ids. */
  duplicated: number;
  /** The first stored copy of each handed id follows the hand-over order. */
  inOrder: boolean;
}

/**
 * Compares the correlationIds a producer handed over (in order) with what the services' LOG_DIRs
 * hold, file order; lines torn by a kill -9 are skipped (they were never acked).
 */
export async function tallyStored(
  handed: readonly string[],
  logDirs: string[],
): Promise<EntryTally> {
  const stored: string[] = [];
  for (const dir of new Set(logDirs)) {
    for (const file of await readStoredFiles(dir)) {
      for (const entry of file.entries) stored.push(entry.correlationId);
    }
  }
  return tally(handed, stored);
}

/** The same tally over correlationIds read from any storage, in its order (others ignored). */
export function tally(handed: readonly string[], storedIds: readonly string[]): EntryTally {
  const wanted = new Set(handed);
  const stored = storedIds.filter((id) => wanted.has(id));
  const seen = new Set(stored);
  const first = [...seen];
  return {
    lost: handed.filter((id) => !seen.has(id)),
    duplicated: stored.length - first.length,
    inOrder: first.length === handed.length && first.every((id, i) => id === handed[i]),
  };
}
