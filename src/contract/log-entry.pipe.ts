import { Injectable, type PipeTransform } from '@nestjs/common';
import { DomainError } from '../common/domain.error.js';
import { checkEntry } from './entry-checker.js';
import type { LogEntryDto } from './log-entry.dto.js';

/**
 * Checks a `log` frame's data against LogEntryDto's rules and passes the client's object on as
 * is: no copy, no class instance (unknown fields stay, `serializeEntry` drops them).
 * @throws DomainError 400 `invalid log entry` with one error per failing field.
 */
@Injectable()
export class LogEntryPipe implements PipeTransform<unknown, LogEntryDto> {
  transform(value: unknown): LogEntryDto {
    const errors = checkEntry(value);
    if (errors !== null) throw new DomainError(400, 'invalid log entry', errors);
    return value as LogEntryDto;
  }
}
