import type { LogEntryDto } from '../contract/log-entry.dto.js';
import { LOG_LEVELS } from '../contract/log-level.enum.js';
import { SEP } from './stats-key.util.js';

const LEVELS = LOG_LEVELS.length;
/** Label sets remembered between groups; beyond it the index starts afresh (bounded memory). */
export const MAX_REMEMBERED_LABELS = 4096;

/** One (project, system, module) seen lately, with its tally keys built once. */
class Labels {
  /** The group whose counts hold this label set's slot, and where. */
  group: GroupTally | undefined;
  slot = 0;
  private readonly keys: (string | undefined)[] = new Array<string | undefined>(LEVELS);

  constructor(
    readonly project: string,
    readonly system: string,
    readonly module: string,
  ) {}

  /** The tally key (stats-key.util.ts) of these labels at LOG_LEVELS[level]. */
  key(level: number): string {
    return (this.keys[level] ??=
      LOG_LEVELS[level] + SEP + this.project + SEP + this.system + SEP + this.module);
  }
}

/** The counts of one storage group: per label set it touched, one count per level. */
export class GroupTally {
  readonly labels: Labels[] = [];
  /** `counts[slot * LEVELS + level]`. */
  readonly counts: number[] = [];

  /** Calls `record` once per tally key that counted entries. */
  forEach(record: (key: string, count: number) => void): void {
    for (let slot = 0; slot < this.labels.length; slot++) {
      for (let level = 0; level < LEVELS; level++) {
        const n = this.counts[slot * LEVELS + level];
        if (n > 0) record(this.labels[slot].key(level), n);
      }
    }
  }
}

/**
 * Tallies checked entries into GroupTally counts. Per entry: three string compares with the
 * previous entry's labels (a batch's entries mostly share them), else three Map lookups, then one
 * increment. Label sets and their keys persist across groups, so a group allocates per label set
 * it touches, never per entry, and its keys reach the store already built (and hashed).
 */
export class StatsTally {
  private readonly byProject = new Map<string, Map<string, Map<string, Labels>>>();
  private remembered = 0;
  private last: Labels | undefined;

  /** Counts `entries` (checked against the contract: every label is a string) into `group`. */
  add(group: GroupTally, entries: readonly LogEntryDto[]): void {
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i];
      let labels = this.last;
      if (
        labels === undefined ||
        e.module !== labels.module ||
        e.system !== labels.system ||
        e.project !== labels.project
      ) {
        labels = this.last = this.labelsOf(e.project, e.system, e.module);
      }
      if (labels.group !== group) {
        labels.group = group;
        labels.slot = group.labels.length;
        group.labels.push(labels);
        for (let l = 0; l < LEVELS; l++) group.counts.push(0);
      }
      group.counts[labels.slot * LEVELS + LOG_LEVELS.indexOf(e.level)]++;
    }
  }

  private labelsOf(project: string, system: string, module: string): Labels {
    let bySystem = this.byProject.get(project);
    let byModule = bySystem?.get(system);
    let labels = byModule?.get(module);
    if (labels !== undefined) return labels;
    if (this.remembered >= MAX_REMEMBERED_LABELS) {
      this.byProject.clear();
      this.remembered = 0;
      bySystem = byModule = undefined;
    }
    if (bySystem === undefined) this.byProject.set(project, (bySystem = new Map()));
    if (byModule === undefined) bySystem.set(system, (byModule = new Map()));
    byModule.set(module, (labels = new Labels(project, system, module)));
    this.remembered++;
    return labels;
  }
}
