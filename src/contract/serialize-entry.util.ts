import { randomUUID } from 'node:crypto';
import type { LogEntryDto } from './log-entry.dto.js';

const quote = JSON.stringify;

/**
 * The stored and broadcast form of a valid entry (SPEC §1), without a trailing newline: exactly
 * the contract's fields in contract order, absent (or `null`) optional ones omitted, unknown ones
 * and a client's `activeSession` dropped. `timestamp` defaults to `receivedAt` and `correlationId`
 * to a new UUID v4. `sessionJson` is the connection's session, stringified once per connection and
 * spliced in verbatim. Concatenating per-field JSON measured ~10% faster than stringifying a
 * fresh object, and this runs for every stored entry.
 */
export function serializeEntry(
  entry: LogEntryDto,
  receivedAt: string,
  sessionJson: string,
): string {
  let json =
    '{"timestamp":' +
    quote(entry.timestamp ?? receivedAt) +
    ',"correlationId":' +
    quote(entry.correlationId ?? randomUUID()) +
    ',"level":' +
    quote(entry.level) +
    ',"project":' +
    quote(entry.project) +
    ',"system":' +
    quote(entry.system) +
    ',"module":' +
    quote(entry.module) +
    ',"action":' +
    quote(entry.action);
  if (entry.errorType != null) json += ',"errorType":' + quote(entry.errorType);
  // A validated errorCode is an int32, whose JSON is its decimal form.
  if (entry.errorCode != null) json += ',"errorCode":' + String(entry.errorCode);
  if (entry.errorMessage != null) json += ',"errorMessage":' + quote(entry.errorMessage);
  return json + ',"activeSession":' + sessionJson + '}';
}
