import { Injectable, type PipeTransform } from '@nestjs/common';
import { quoteClientText } from '../common/client-text.util.js';
import { DomainError, type FieldError } from '../common/domain.error.js';
import { compileEntryChecker } from '../contract/entry-checker.js';
import { TAIL_FILTER_FIELDS, TailFilterDto, type TailFilter } from './tail-filter.dto.js';

const checkFilter = compileEntryChecker(TailFilterDto);
const ALLOWED = new Set<string>(TAIL_FILTER_FIELDS);
const NOT_AN_OBJECT: FieldError = { field: 'filter', message: 'filter must be a JSON object' };

/**
 * Checks a `subscribe` frame's data against TailFilterDto (absent data: no filter, every entry).
 * Unknown fields are refused, not dropped: a typo would otherwise widen the tail to everything.
 * @throws DomainError 400 `invalid filter` naming each bad field.
 */
@Injectable()
export class TailFilterPipe implements PipeTransform<unknown, TailFilter> {
  transform(data: unknown): TailFilter {
    if (data === undefined || data === null) return {};
    if (typeof data !== 'object' || Array.isArray(data)) throw invalid([NOT_AN_OBJECT]);
    const unknown = firstUnknownField(data);
    if (unknown !== undefined) {
      throw invalid([
        {
          field: 'filter',
          message: `unknown field ${quoteClientText(unknown)}; allowed: ${TAIL_FILTER_FIELDS.join(', ')}`,
        },
      ]);
    }
    const errors = checkFilter(data);
    if (errors !== null) throw invalid(errors);
    const given = data as Record<string, string | null | undefined>;
    const filter: Partial<Record<string, string>> = {};
    for (const field of TAIL_FILTER_FIELDS) {
      const value = given[field];
      if (value !== undefined && value !== null) filter[field] = value;
    }
    return filter;
  }
}

function firstUnknownField(data: object): string | undefined {
  for (const key of Object.keys(data)) if (!ALLOWED.has(key)) return key;
  return undefined;
}

function invalid(errors: readonly FieldError[]): DomainError {
  return new DomainError(400, 'invalid filter', errors);
}
