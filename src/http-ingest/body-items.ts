import { isUtf8 } from 'node:buffer';
import { DomainError, type FieldError } from '../common/domain.error.js';
import type { RejectedEntry } from '../contract/check-entries.util.js';
import { isBlank } from './line-splitter.js';

/** A POST /logs body once read: parsed values with their indexes, and items that did not parse. */
export interface BodyItems {
  values: unknown[];
  /** Line number (NDJSON) or array position of each value, ascending. */
  indexes: number[];
  /** Lines that are not JSON, by index; ascending. */
  broken: RejectedEntry[];
}

// Shared by every broken line: a body of a million broken lines holds one copy of each.
const MALFORMED: FieldError[] = [{ field: 'entry', message: 'malformed JSON' }];
const NOT_UTF8: FieldError[] = [{ field: 'entry', message: 'not valid UTF-8' }];
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * Collects the items of one body: NDJSON lines as they are split off, or the elements of one
 * JSON value. Stops the body at `maxItems` non-blank items: a body of tiny lines must not turn
 * its bytes into a hundredfold of rejection objects.
 */
export class BodyCollector {
  readonly items: BodyItems = { values: [], indexes: [], broken: [] };
  private count = 0;

  constructor(private readonly maxItems: number) {}

  /** One NDJSON line (see LineSplitter); blank lines are skipped, their numbers kept. */
  readonly line = (bytes: Buffer, index: number): void => {
    const line = index === 0 ? withoutBom(bytes) : bytes;
    if (isBlank(line)) return;
    this.counted();
    if (!isUtf8(line)) {
      this.items.broken.push({ index, errors: NOT_UTF8 });
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(line.toString('utf8'));
    } catch {
      this.items.broken.push({ index, errors: MALFORMED });
      return;
    }
    this.items.values.push(value);
    this.items.indexes.push(index);
  };

  /** A whole body that is one JSON value: an array is its elements, anything else one entry. */
  whole(value: unknown): void {
    const list = Array.isArray(value) ? value : [value];
    if (list.length > this.maxItems) throw tooManyItems(this.maxItems);
    for (let i = 0; i < list.length; i++) {
      this.items.values.push(list[i]);
      this.items.indexes.push(i);
    }
  }

  private counted(): void {
    if (++this.count > this.maxItems) throw tooManyItems(this.maxItems);
  }
}

export function withoutBom(bytes: Buffer): Buffer {
  return bytes.subarray(0, 3).equals(BOM) ? bytes.subarray(3) : bytes;
}

function tooManyItems(max: number): DomainError {
  return new DomainError(413, `more than ${max} entries in one request: split the body`);
}
