import { splitKey } from './stats-key.util.js';
import type { StatsQuery } from './stats-query.util.js';
import type { CountVisitor } from './stats-store.interface.js';
import { MINUTE_MS } from './stats.constants.js';

/** One minute of a `series=minute` answer: its start, and its counts by level. */
export interface MinuteCounts {
  at: string;
  total: number;
  byLevel: Record<string, number>;
}

export interface StatsSummary {
  total: number;
  byLevel: Record<string, number>;
  byProject: Record<string, number>;
  series?: MinuteCounts[];
}

export interface ProjectStats {
  project: string;
  total: number;
  byLevel: Record<string, number>;
  bySystem: Record<string, number>;
  byModule: Record<string, number>;
  series?: MinuteCounts[];
}

/** Adds up the counts a StatsStore visits into one answer. */
export interface StatsTally<T> {
  readonly visit: CountVisitor;
  result(): T;
}

/** Null-prototype maps: labels are client text (`__proto__` is a fine project name). */
const counts = (): Record<string, number> => Object.create(null) as Record<string, number>;

function bump(into: Record<string, number>, label: string, n: number): void {
  into[label] = (into[label] ?? 0) + n;
}

/**
 * Every minute of the query's window, oldest first, zeros included (a chart needs the gaps);
 * at most the clipped window's length (8 days of minutes).
 */
function emptySeries(query: StatsQuery): MinuteCounts[] {
  const out: MinuteCounts[] = [];
  for (let m = query.fromMinute; m < query.toMinute; m++) {
    out.push({ at: new Date(m * MINUTE_MS).toISOString(), total: 0, byLevel: counts() });
  }
  return out;
}

function addToSeries(series: MinuteCounts[] | undefined, index: number, level: string, n: number) {
  const point = series?.[index];
  if (point === undefined) return;
  point.total += n;
  bump(point.byLevel, level, n);
}

/** GET /stats: counts by level and project (and per minute with `series`). */
export function tallyStats(query: StatsQuery): StatsTally<StatsSummary> {
  const out: StatsSummary = { total: 0, byLevel: counts(), byProject: counts() };
  if (query.series) out.series = emptySeries(query);
  const visit: CountVisitor = (minute, key, n) => {
    const [level, project] = splitKey(key);
    if (query.level !== undefined && level !== query.level) return;
    out.total += n;
    bump(out.byLevel, level, n);
    bump(out.byProject, project, n);
    addToSeries(out.series, minute - query.fromMinute, level, n);
  };
  return { visit, result: () => out };
}

/** GET /stats/:project: that project's counts by level, system and module (and per minute). */
export function tallyProject(query: StatsQuery, project: string): StatsTally<ProjectStats> {
  const out: ProjectStats = {
    project,
    total: 0,
    byLevel: counts(),
    bySystem: counts(),
    byModule: counts(),
  };
  if (query.series) out.series = emptySeries(query);
  const visit: CountVisitor = (minute, key, n) => {
    const [level, p, system, module] = splitKey(key);
    if (p !== project || (query.level !== undefined && level !== query.level)) return;
    out.total += n;
    bump(out.byLevel, level, n);
    bump(out.bySystem, system, n);
    bump(out.byModule, module, n);
    addToSeries(out.series, minute - query.fromMinute, level, n);
  };
  return { visit, result: () => out };
}
