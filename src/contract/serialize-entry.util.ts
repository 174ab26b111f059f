import { randomUUID } from 'node:crypto';
import type { ActiveSession, LogEntryDto } from './log-entry.dto.js';

/**
 * The stored and broadcast form of a valid entry (SPEC §1), without a trailing newline: exactly
 * the contract's fields in contract order, absent (or `null`) optional ones omitted, unknown ones
 * and a client's `activeSession` dropped. `timestamp` defaults to `receivedAt` and `correlationId`
 * to a new UUID v4. One fresh object and one JSON.stringify: measured ~25% cheaper per entry
 * (join included) than concatenating per-field JSON, whose rope strings cost the GC dearly.
 */
export function serializeEntry(
  entry: LogEntryDto,
  receivedAt: string,
  session: ActiveSession,
): string {
  const out: Record<string, unknown> = {
    timestamp: entry.timestamp ?? receivedAt,
    correlationId: entry.correlationId ?? randomUUID(),
    level: entry.level,
    project: entry.project,
    system: entry.system,
    module: entry.module,
    action: entry.action,
  };
  if (entry.errorType != null) out.errorType = entry.errorType;
  if (entry.errorCode != null) out.errorCode = entry.errorCode;
  if (entry.errorMessage != null) out.errorMessage = entry.errorMessage;
  out.activeSession = session;
  return JSON.stringify(out);
}
