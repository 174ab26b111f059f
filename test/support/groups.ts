import { randomUUID } from 'node:crypto';
import type { EntryGroup } from '../../src/storage/sinks/entry-group.js';

/** A stored entry line as IngestService makes it: the SPEC §1 fields in SPEC order. */
export function storedLine(over: Record<string, unknown> = {}): string {
  return JSON.stringify({
    timestamp: '2026-01-21T10:30:00.000+01:00',
    correlationId: `it-${randomUUID()}`,
    level: 'error',
    project: 'absences',
    system: 'backend',
    module: 'AddCompanies',
    action: 'saveHandler',
    errorType: 'validation',
    errorCode: 500,
    errorMessage: 'boom',
    activeSession: { user: 'svc', timestamp: '2026-01-21T09:00:00.000Z', ipaddress: '127.0.0.1' },
    ...over,
  });
}

/** `count` groups of `size` entries each of writer `writer`, seq from `firstSeq`. */
export function groupsOf(
  count: number,
  size: number,
  writer = `w${randomUUID().slice(0, 7)}`,
  firstSeq = 1,
): EntryGroup[] {
  return Array.from({ length: count }, (_, g) => ({
    writer,
    seq: firstSeq + g,
    day: '2026-01-21',
    lines: Array.from({ length: size }, () => storedLine()),
  }));
}

let nextSeq = 0;

/** One group of writer `w1` holding `lines`, with the next seq of this test file. */
export function groupOfLines(...lines: string[]): EntryGroup {
  return { writer: 'w1', seq: ++nextSeq, day: '2026-01-21', lines };
}
