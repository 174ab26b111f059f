import { bad } from '../query/log-query.util.js';
import { isRfc3339, rfc3339ToMs } from '../contract/rfc3339.util.js';
import { DEFAULT_WINDOW_MS, MINUTE_MS, RETENTION_S } from './stats.constants.js';

/** A stats window in whole epoch minutes, [fromMinute, toMinute). */
export interface StatsWindow {
  fromMinute: number;
  toMinute: number;
}

const KNOWN = ['from', 'to'];

/**
 * GET /stats query parameters: `from` (inclusive) and `to` (exclusive), RFC 3339, default the
 * last 24 hours. Counts are per minute, so `from` is rounded down and `to` up to whole minutes;
 * the window is clipped to the retention (8 days back) and to the current minute, which bounds
 * the work of a read whatever is asked.
 * @throws DomainError 400 naming the first bad or unknown parameter.
 */
export function parseStatsQuery(raw: Readonly<Record<string, unknown>>, now: number): StatsWindow {
  for (const name of Object.keys(raw)) {
    if (!KNOWN.includes(name))
      throw bad(name, `unknown parameter; expected one of: ${KNOWN.join(', ')}`);
    if (typeof raw[name] !== 'string') throw bad(name, 'must be given once, as text');
  }
  const to = parseTime('to', raw.to as string | undefined) ?? now;
  const from = parseTime('from', raw.from as string | undefined) ?? to - DEFAULT_WINDOW_MS;
  if (from > to) throw bad('from', 'must not be after `to`');
  const nowMinute = Math.floor(now / MINUTE_MS);
  const oldest = nowMinute - RETENTION_S / 60;
  const fromMinute = Math.max(Math.floor(from / MINUTE_MS), oldest);
  const toMinute = Math.min(Math.ceil(to / MINUTE_MS), nowMinute + 1);
  return { fromMinute, toMinute: Math.max(toMinute, fromMinute) };
}

function parseTime(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!isRfc3339(value)) throw bad(name, 'must be an RFC 3339 date-time with a zone');
  const at = rfc3339ToMs(value);
  if (Number.isNaN(at)) throw bad(name, 'must be an RFC 3339 date-time with a zone');
  return at;
}
