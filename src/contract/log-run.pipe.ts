import { Injectable, type PipeTransform } from '@nestjs/common';
import { IngestCounters } from '../metrics/ingest.counters.js';
import { checkEntries, type CheckedEntries } from './check-entries.util.js';

/**
 * Checks the entries of a run of `log` frames: the data of consecutive `log` frames of one
 * connection, which IngestWsAdapter hands to the gateway together (see WsConnection). Each entry
 * is judged on its own against LogEntryDto's rules, as if it had come alone: a rejected index is
 * the frame that gets the error, the others are stored and acked.
 */
@Injectable()
export class LogRunPipe implements PipeTransform<unknown[], CheckedEntries> {
  constructor(private readonly counters: IngestCounters) {}

  transform(run: unknown[]): CheckedEntries {
    const checked = checkEntries(run);
    this.counters.checked(run.length, checked.rejected.length);
    return checked;
  }
}
