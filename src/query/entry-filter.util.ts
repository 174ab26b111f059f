import { rfc3339ToMs } from '../contract/rfc3339.util.js';
import type { LogQuery } from './log-reader.interface.js';

/** A stored line as a parsed entry when it matches `query`; null otherwise (or when torn). */
export function matchLine(text: string, query: LogQuery): Record<string, unknown> | null {
  let entry: unknown;
  try {
    entry = JSON.parse(text);
  } catch {
    return null; // a torn line left by a failed write: not an entry
  }
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return null;
  const e = entry as Record<string, unknown>;
  if (query.correlationId !== undefined && e.correlationId !== query.correlationId) return null;
  if (query.project !== undefined && e.project !== query.project) return null;
  if (query.system !== undefined && e.system !== query.system) return null;
  if (query.module !== undefined && e.module !== query.module) return null;
  if (query.level !== undefined && e.level !== query.level) return null;
  if (query.from !== undefined || query.to !== undefined) {
    const at = typeof e.timestamp === 'string' ? rfc3339ToMs(e.timestamp) : NaN;
    if (Number.isNaN(at)) return null;
    if (query.from !== undefined && at < query.from) return null;
    if (query.to !== undefined && at > query.to) return null;
  }
  return e;
}
