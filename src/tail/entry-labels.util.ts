import type { LogEntryDto } from '../contract/log-entry.dto.js';

/**
 * The fields of a stored entry that tail filters match on (SPEC §3), in the order serializeEntry
 * writes them: labels travel as a tuple in this order, so that matching indexes arrays instead of
 * looking properties up by a variable name.
 */
export const LABEL_FIELDS = ['correlationId', 'level', 'project', 'system', 'module'] as const;

export type LabelField = (typeof LABEL_FIELDS)[number];

/** An entry's labels by LABEL_FIELDS position; a missing or non-string field is undefined. */
export type EntryLabels = readonly (string | undefined)[];

/**
 * The labels of a checked entry as serializeEntry stores them (`line`), read from the entry's
 * own fields: only a correlationId the service generated must be read from the line.
 */
export function checkedEntryLabels(entry: LogEntryDto, line: string): EntryLabels | null {
  if (entry.correlationId == null) return entryLabelsOf(line);
  return [entry.correlationId, entry.level, entry.project, entry.system, entry.module];
}

/**
 * The head of a line as serializeEntry writes it: `timestamp`, then the five labels, first and
 * in this order, as JSON strings. A JSON string holds a quote only escaped, so a value without a
 * backslash ends at the next quote: the pattern is linear (no class overlaps what follows it) and
 * its captures are the labels, in LABEL_FIELDS order.
 */
const HEAD =
  /^\{"timestamp":"[^"\\]*","correlationId":"([^"\\]*)","level":"([^"\\]*)","project":"([^"\\]*)","system":"([^"\\]*)","module":"([^"\\]*)"/;

/**
 * The labels of a stored line, read from its head by one compiled regex instead of parsing the
 * whole line: the tail would otherwise parse every stored entry while anyone subscribes. A line
 * with an escape in its head (rare: labels are names) or any other shape (another instance's
 * bug, a stranger on the channel) falls back to JSON.parse. Proven against JSON.parse by
 * entry-labels.property.spec.ts.
 * @returns null for a line that is not a JSON object.
 */
export function entryLabelsOf(line: string): EntryLabels | null {
  const head = HEAD.exec(line);
  if (head === null) return parsed(line);
  return [head[1], head[2], head[3], head[4], head[5]];
}

function parsed(line: string): EntryLabels | null {
  let e: unknown;
  try {
    e = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof e !== 'object' || e === null || Array.isArray(e)) return null;
  const fields = e as Record<string, unknown>;
  return LABEL_FIELDS.map((field) => {
    const value = fields[field];
    return typeof value === 'string' ? value : undefined;
  });
}
