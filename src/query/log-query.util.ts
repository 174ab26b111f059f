import { QUOTE_MAX, quoteClientText } from '../common/client-text.util.js';
import { DomainError } from '../common/domain.error.js';
import { LOG_LEVELS, type LogLevel } from '../contract/log-level.enum.js';
import { isRfc3339, rfc3339ToMs } from '../contract/rfc3339.util.js';
import { isContractString } from '../contract/unicode.util.js';
import type { LogQuery } from './log-reader.interface.js';
import { DEFAULT_LIMIT, MAX_LIMIT } from './query.constants.js';

const FIELDS = ['correlationId', 'project', 'system', 'module'] as const;
const KNOWN = new Set<string>([...FIELDS, 'level', 'from', 'to', 'limit', 'cursor']);

/**
 * Validates GET /logs query parameters into a LogQuery.
 * @throws DomainError 400 naming the first bad or unknown parameter (its value is not echoed).
 */
export function parseLogQuery(raw: Readonly<Record<string, unknown>>): LogQuery {
  for (const name of Object.keys(raw)) {
    if (!KNOWN.has(name))
      throw bad(name, `unknown parameter; expected one of: ${[...KNOWN].join(', ')}`);
    if (typeof raw[name] !== 'string') throw bad(name, 'must be given once, as text');
  }
  const q = raw as Readonly<Record<string, string | undefined>>;
  const query: LogQuery = { limit: parseLimit(q.limit) };
  for (const name of FIELDS) {
    const value = q[name];
    if (value === undefined) continue;
    if (!isContractString(value, 1, 128)) throw bad(name, 'must be 1..128 characters');
    query[name] = value;
  }
  if (q.level !== undefined) {
    if (!(LOG_LEVELS as readonly string[]).includes(q.level)) {
      throw bad('level', `must be one of: ${LOG_LEVELS.join(', ')}`);
    }
    query.level = q.level as LogLevel;
  }
  query.from = parseTime('from', q.from);
  query.to = parseTime('to', q.to);
  if (query.from !== undefined && query.to !== undefined && query.from > query.to) {
    throw bad('from', 'must not be after `to`');
  }
  if (q.cursor !== undefined) query.cursor = q.cursor;
  return query;
}

function parseLimit(value: string | undefined): number {
  if (value === undefined) return DEFAULT_LIMIT;
  const n = /^\d{1,4}$/.test(value) ? Number(value) : NaN;
  if (!(n >= 1 && n <= MAX_LIMIT)) throw bad('limit', `must be an integer in 1..${MAX_LIMIT}`);
  return n;
}

function parseTime(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!isRfc3339(value)) throw bad(name, 'must be an RFC 3339 date-time with a zone');
  return rfc3339ToMs(value);
}

export function bad(name: string, why: string): DomainError {
  const shown = quoteClientText(name);
  // An unknown parameter's name is client text: bounded in `field`, quoted in messages.
  return new DomainError(400, `invalid query parameter ${shown}: ${why}`, [
    { field: name.slice(0, QUOTE_MAX), message: `${shown} ${why}` },
  ]);
}
