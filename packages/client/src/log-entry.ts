/** The three levels of SPEC §1. */
export type LogLevel = 'info' | 'warning' | 'error';

export const LOG_LEVELS: readonly LogLevel[] = ['info', 'warning', 'error'];

/** A LogEntry as a producer sends it (SPEC §1); the server sets `activeSession` itself. */
export interface LogEntry {
  timestamp?: string;
  correlationId?: string;
  level: LogLevel;
  project: string;
  system: string;
  module: string;
  action: string;
  errorType?: string;
  errorCode?: number;
  errorMessage?: string;
}

/** What `log(entry)` takes: `project` and `system` default to the logger's. */
export type EntryInput = Omit<LogEntry, 'project' | 'system'> &
  Partial<Pick<LogEntry, 'project' | 'system'>>;

/** The optional fields `info/warning/error(module, action, fields)` take. */
export type EntryFields = Partial<Omit<LogEntry, 'level' | 'module' | 'action'>>;

/** One reason the server gave for refusing an entry. */
export interface FieldError {
  field: string;
  message: string;
}

/** An entry handed to the logger, numbered in hand-over order (the order it is stored in). */
export interface QueuedEntry {
  readonly ordinal: number;
  readonly entry: LogEntry;
}
