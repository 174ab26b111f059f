import type { TailFilterField } from './tail-filter.dto.js';

/** The fields of a stored entry that tail filters match on (SPEC §3). */
export type EntryLabels = Readonly<Partial<Record<TailFilterField, unknown>>>;

const PREFIXES = [
  '"timestamp":',
  ',"correlationId":',
  ',"level":',
  ',"project":',
  ',"system":',
  ',"module":',
] as const;
const QUOTE = 0x22;

/**
 * The filter fields of a stored line, read by position. Invariant: serializeEntry writes
 * `timestamp`, `correlationId`, `level`, `project`, `system`, `module` first, in that order, as
 * JSON strings, and a JSON string holds a quote only escaped: so while no backslash comes before
 * a value's end, its end is the next quote (native indexOf, no per-character loop) and the value
 * is the text between. A line with an escape there (rare: labels are names) or any other shape
 * (another instance's bug, a stranger on the channel) falls back to JSON.parse of the whole line.
 * Proven against JSON.parse by entry-labels.property.spec.ts; the tail would otherwise parse
 * every stored entry whole while anyone subscribes.
 * @returns null for a line that is not a JSON object.
 */
export function entryLabelsOf(line: string): EntryLabels | null {
  if (line.charCodeAt(0) !== 0x7b) return parsed(line);
  const backslash = line.indexOf('\\');
  const values = new Array<string>(PREFIXES.length - 1);
  let pos = 1;
  for (let k = 0; k < PREFIXES.length; k++) {
    const prefix = PREFIXES[k];
    if (!line.startsWith(prefix, pos)) return parsed(line);
    const start = pos + prefix.length + 1;
    if (line.charCodeAt(start - 1) !== QUOTE) return parsed(line);
    const end = line.indexOf('"', start);
    if (end === -1 || (backslash !== -1 && backslash < end)) return parsed(line);
    if (k > 0) values[k - 1] = line.slice(start, end);
    pos = end + 1;
  }
  const [correlationId, level, project, system, module] = values;
  return { correlationId, level, project, system, module };
}

function parsed(line: string): EntryLabels | null {
  try {
    const e = JSON.parse(line) as unknown;
    return typeof e === 'object' && e !== null && !Array.isArray(e) ? (e as EntryLabels) : null;
  } catch {
    return null;
  }
}
