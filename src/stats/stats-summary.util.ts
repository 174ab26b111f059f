import { splitKey } from './stats-key.util.js';

export interface StatsSummary {
  total: number;
  byLevel: Record<string, number>;
  byProject: Record<string, number>;
}

export interface ProjectStats {
  project: string;
  total: number;
  byLevel: Record<string, number>;
  bySystem: Record<string, number>;
  byModule: Record<string, number>;
}

function bump(into: Record<string, number>, label: string, n: number): void {
  into[label] = (into[label] ?? 0) + n;
}

/** Counts per tally key as GET /stats answers them. Null-prototype maps: labels are client text. */
export function summarize(counts: ReadonlyMap<string, number>): StatsSummary {
  const out: StatsSummary = {
    total: 0,
    byLevel: Object.create(null),
    byProject: Object.create(null),
  };
  for (const [key, n] of counts) {
    const [level, project] = splitKey(key);
    out.total += n;
    bump(out.byLevel, level, n);
    bump(out.byProject, project, n);
  }
  return out;
}

/** One project's counts by level, system and module, as GET /stats/:project answers them. */
export function summarizeProject(
  counts: ReadonlyMap<string, number>,
  project: string,
): ProjectStats {
  const out: ProjectStats = {
    project,
    total: 0,
    byLevel: Object.create(null),
    bySystem: Object.create(null),
    byModule: Object.create(null),
  };
  for (const [key, n] of counts) {
    const [level, p, system, module] = splitKey(key);
    if (p !== project) continue;
    out.total += n;
    bump(out.byLevel, level, n);
    bump(out.bySystem, system, n);
    bump(out.byModule, module, n);
  }
  return out;
}
