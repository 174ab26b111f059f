import { Injectable, type PipeTransform } from '@nestjs/common';
import { checkEntries, type CheckedEntries } from './check-entries.util.js';

/**
 * Checks the entries of a run of `log` frames: the data of consecutive `log` frames of one
 * connection, which IngestWsAdapter hands to the gateway together (see WsConnection). Each entry
 * is judged on its own against LogEntryDto's rules, as if it had come alone: a rejected index is
 * the frame that gets the error, the others are stored and acked.
 */
@Injectable()
export class LogRunPipe implements PipeTransform<unknown[], CheckedEntries> {
  transform(run: unknown[]): CheckedEntries {
    return checkEntries(run);
  }
}
