import type { LogEntry, LogLevel } from '../log-entry.js';

/** A pino log record as a transport receives it (parsed JSON line). */
export interface PinoRecord {
  level?: number;
  time?: number | string;
  msg?: unknown;
  module?: unknown;
  name?: unknown;
  err?: { type?: unknown; name?: unknown; message?: unknown } | null;
  correlationId?: unknown;
  reqId?: unknown;
  [other: string]: unknown;
}

/** Where the entry's project and system come from, and the module when a record names none. */
export interface PinoDefaults {
  project: string;
  system: string;
  module: string;
}

const PINO_INFO = 30;
const PINO_WARN = 40;
const PINO_ERROR = 50;

/** SPEC §9's pino mapping, field by field; lengths cut to SPEC §1's limits. */
export function mapPinoRecord(record: PinoRecord, defaults: PinoDefaults): LogEntry {
  const entry: LogEntry = {
    level: levelOf(record.level),
    project: defaults.project,
    system: defaults.system,
    module: cut(text(record.module) ?? text(record.name) ?? defaults.module, 128),
    action: cut(text(record.msg) ?? 'log', 128),
  };
  const timestamp = timestampOf(record.time);
  if (timestamp) entry.timestamp = timestamp;
  const correlationId = text(record.correlationId) ?? text(record.reqId);
  if (correlationId) entry.correlationId = cut(correlationId, 128);
  const err = record.err;
  if (err && typeof err === 'object') {
    const type = text(err.type) ?? text(err.name);
    if (type) entry.errorType = cut(type, 64);
    // An empty message is still a message (SPEC §1 allows 0..8192), unlike an empty type.
    if (typeof err.message === 'string') entry.errorMessage = cut(err.message, 8192);
  }
  return entry;
}

function levelOf(level: number | undefined): LogLevel {
  if (level === undefined || level <= PINO_INFO) return 'info';
  return level >= PINO_ERROR ? 'error' : level >= PINO_WARN ? 'warning' : 'info';
}

function timestampOf(time: number | string | undefined): string | undefined {
  if (typeof time === 'string') return time;
  if (typeof time === 'number' && Number.isFinite(time)) return new Date(time).toISOString();
  return undefined;
}

/** A non-empty string form of a string or number; anything else counts as absent. */
function text(value: unknown): string | undefined {
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Cuts to `max` code points (SPEC §1 counts code points), never inside a surrogate pair. */
function cut(value: string, max: number): string {
  if (value.length <= max) return value;
  return Array.from(value).slice(0, max).join('');
}
