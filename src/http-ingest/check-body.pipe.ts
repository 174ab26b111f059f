import { Injectable, type PipeTransform } from '@nestjs/common';
import {
  checkEntries,
  type CheckedEntries,
  type RejectedEntry,
} from '../contract/check-entries.util.js';
import type { BodyItems } from './body-items.js';

/**
 * Checks the entries of a read body with the contract's compiled checker (checkEntries, as the
 * WebSocket pipes do), each on its own; rejections carry the body's own indexes (NDJSON line
 * numbers or array positions), the lines that did not parse among them, ascending.
 */
@Injectable()
export class CheckBodyPipe implements PipeTransform<BodyItems, CheckedEntries> {
  transform(items: BodyItems): CheckedEntries {
    const { entries, rejected } = checkEntries(items.values);
    for (const r of rejected) r.index = items.indexes[r.index];
    return { entries, rejected: mergeByIndex(items.broken, rejected) };
  }
}

/** Two lists ascending by index, merged into one. */
export function mergeByIndex(a: RejectedEntry[], b: RejectedEntry[]): RejectedEntry[] {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const out: RejectedEntry[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) out.push(a[i].index < b[j].index ? a[i++] : b[j++]);
  while (i < a.length) out.push(a[i++]);
  while (j < b.length) out.push(b[j++]);
  return out;
}
