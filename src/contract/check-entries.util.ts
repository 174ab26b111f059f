import type { FieldError } from '../common/domain.error.js';
import { checkEntry } from './entry-checker.js';
import type { LogEntryDto } from './log-entry.dto.js';

/** An entry that was not stored, by its index in the list it came in. */
export interface RejectedEntry {
  index: number;
  errors: FieldError[];
}

/** A list of entries once checked: valid ones in order (the client's objects), others by index. */
export interface CheckedEntries {
  entries: LogEntryDto[];
  rejected: RejectedEntry[];
}

/** Checks each entry on its own, so that valid ones are kept and invalid ones reported. */
export function checkEntries(list: readonly unknown[]): CheckedEntries {
  const entries: LogEntryDto[] = [];
  const rejected: RejectedEntry[] = [];
  for (let index = 0; index < list.length; index++) {
    const errors = checkEntry(list[index]);
    if (errors === null) entries.push(list[index] as LogEntryDto);
    else rejected.push({ index, errors });
  }
  return { entries, rejected };
}
