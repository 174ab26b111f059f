import { bad } from '../query/log-query.util.js';
import { LOG_LEVELS, type LogLevel } from '../contract/log-level.enum.js';
import { isRfc3339, rfc3339ToMs } from '../contract/rfc3339.util.js';
import { DEFAULT_WINDOW_MS, MINUTE_MS, RETENTION_S } from './stats.constants.js';

/**
 * A stats query: the window in whole epoch minutes, [fromMinute, toMinute); only entries of
 * `level` when given; and whether the answer carries a per-minute `series`.
 */
export interface StatsQuery {
  fromMinute: number;
  toMinute: number;
  level?: LogLevel;
  series: boolean;
}

const KNOWN = ['from', 'to', 'level', 'series'];
/** The only series step for now; a name rather than a flag so that others may follow. */
const SERIES_STEPS = ['minute'];

/**
 * GET /stats query parameters: `from` (inclusive) and `to` (exclusive), RFC 3339, default the
 * last 24 hours; `level` (one of SPEC §1's, exact) counts only that level; `series=minute` adds
 * the counts of every minute of the window by level. Counts are per minute, so `from` is rounded
 * down and `to` up to whole minutes; the window is clipped to the retention (8 days back) and to
 * the current minute, which bounds the work of a read (and the length of a series) whatever is
 * asked.
 * @throws DomainError 400 naming the first bad or unknown parameter.
 */
export function parseStatsQuery(raw: Readonly<Record<string, unknown>>, now: number): StatsQuery {
  for (const name of Object.keys(raw)) {
    if (!KNOWN.includes(name))
      throw bad(name, `unknown parameter; expected one of: ${KNOWN.join(', ')}`);
    if (typeof raw[name] !== 'string') throw bad(name, 'must be given once, as text');
  }
  const q = raw as Readonly<Record<string, string | undefined>>;
  const to = parseTime('to', q.to) ?? now;
  const from = parseTime('from', q.from) ?? to - DEFAULT_WINDOW_MS;
  if (from > to) throw bad('from', 'must not be after `to`');
  const nowMinute = Math.floor(now / MINUTE_MS);
  const oldest = nowMinute - RETENTION_S / 60;
  const fromMinute = Math.max(Math.floor(from / MINUTE_MS), oldest);
  const toMinute = Math.min(Math.ceil(to / MINUTE_MS), nowMinute + 1);
  const query: StatsQuery = {
    fromMinute,
    toMinute: Math.max(toMinute, fromMinute),
    series: parseSeries(q.series),
  };
  if (q.level !== undefined) query.level = parseLevel(q.level);
  return query;
}

function parseTime(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!isRfc3339(value)) throw bad(name, 'must be an RFC 3339 date-time with a zone');
  const at = rfc3339ToMs(value);
  if (Number.isNaN(at)) throw bad(name, 'must be an RFC 3339 date-time with a zone');
  return at;
}

function parseLevel(value: string): LogLevel {
  if (!(LOG_LEVELS as readonly string[]).includes(value)) {
    throw bad('level', `must be one of: ${LOG_LEVELS.join(', ')}`);
  }
  return value as LogLevel;
}

function parseSeries(value: string | undefined): boolean {
  if (value === undefined) return false;
  if (!SERIES_STEPS.includes(value)) throw bad('series', `must be: ${SERIES_STEPS.join(', ')}`);
  return true;
}
