import type { LogLevel } from '../contract/log-level.enum.js';

/** A GET /logs query once validated (SPEC §4). */
export interface LogQuery {
  correlationId?: string;
  project?: string;
  system?: string;
  module?: string;
  level?: LogLevel;
  /** Entry `timestamp` bounds, epoch ms, inclusive. */
  from?: number;
  to?: number;
  /** 1..1000. */
  limit: number;
  /** Where the previous page stopped; opaque to clients, meaningful to the reader that made it. */
  cursor?: string;
}

/** One page of stored entries, newest first. */
export interface LogPage {
  /** Stored entries exactly as stored (SPEC §1), parsed. */
  entries: Record<string, unknown>[];
  /** Pass as `cursor` for the following (older) page; null when there is none. */
  next: string | null;
}

/**
 * Reads stored entries back for GET /logs, one implementation per `STORAGE` kind (as LogSink
 * writes them): `file` scans the day files backwards; postgres (SQL on the typed, indexed
 * columns) and redis (XREVRANGE) are the storage layer's to add. Newest first by arrival.
 */
export interface LogReader {
  /**
   * @returns at most `query.limit` matching entries and a cursor past the last one; a page may
   *   hold fewer than `limit` (even none) with a non-null `next` when the reader's per-request
   *   scan bound was reached first: the client continues with `next`.
   * @throws DomainError 400 for a cursor this reader did not make.
   */
  read(query: LogQuery): Promise<LogPage>;
}
