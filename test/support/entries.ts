import { randomUUID } from 'node:crypto';

/** A LogEntry as a client sends it (SPEC §1); extra keys allowed to test that they are dropped. */
export interface EntryInput {
  timestamp?: string;
  correlationId?: string;
  level?: string;
  project?: string;
  system?: string;
  module?: string;
  action?: string;
  errorType?: string;
  errorCode?: number;
  errorMessage?: string;
  [other: string]: unknown;
}

/** The stored fields in the order of SPEC §1, optional ones included. */
export const STORED_FIELD_ORDER = [
  'timestamp',
  'correlationId',
  'level',
  'project',
  'system',
  'module',
  'action',
  'errorType',
  'errorCode',
  'errorMessage',
  'activeSession',
] as const;

/** A correlationId no other test run shares, so a spec finds its own entries in the files. */
export function uniqueId(prefix = 'e2e'): string {
  return `${prefix}-${randomUUID()}`;
}

/** A valid entry with every required field and a unique correlationId; `over` wins. */
export function validEntry(over: EntryInput = {}): EntryInput {
  return {
    timestamp: '2026-01-21T10:30:00.000+01:00',
    correlationId: uniqueId(),
    level: 'info',
    project: 'absences',
    system: 'frontend',
    module: 'AddCompanies',
    action: 'saveHandler',
    ...over,
  };
}

/** `{"event":"log","data":entry}` */
export function logFrame(entry: EntryInput): { event: 'log'; data: EntryInput } {
  return { event: 'log', data: entry };
}

/** `{"event":"batch","data":{"seq":seq,"entries":entries}}` */
export function batchFrame(
  seq: number,
  entries: unknown[],
): { event: 'batch'; data: { seq: number; entries: unknown[] } } {
  return { event: 'batch', data: { seq, entries } };
}

/** The exact text of the ack of one `log` frame (SPEC §3). */
export const ACK_ONE = '{"event":"ack","data":{"accepted":1}}';
