/**
 * A tally key: `level`, `project`, `system`, `module` joined by U+0000, which SPEC §1 forbids in
 * every string, so a key splits back into exactly its four labels whatever they hold.
 */
export const SEP = '\u0000';
/** Labels of entries folded together once a minute's key cap is reached (README "Stats"). */
export const OTHER = '(other)';

/** The four labels of `key`. */
export function splitKey(
  key: string,
): [level: string, project: string, system: string, module: string] {
  const [level = '', project = '', system = '', module = ''] = key.split(SEP);
  return [level, project, system, module];
}

/** The key that stands for every entry of `level` beyond a minute's key cap. */
export function otherKey(key: string): string {
  return `${splitKey(key)[0]}${SEP}${OTHER}${SEP}${OTHER}${SEP}${OTHER}`;
}

const PREFIXES = [
  '"timestamp":',
  ',"correlationId":',
  ',"level":',
  ',"project":',
  ',"system":',
  ',"module":',
];
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * The tally key of a serialized entry. Invariant: serializeEntry writes `timestamp`,
 * `correlationId`, `level`, `project`, `system`, `module` first, in that order, as JSON strings,
 * so the labels are read by position, decoding (JSON.parse of the one string) only a value that
 * holds an escape; anything else falls back to JSON.parse of the line. Proven against JSON.parse
 * by stats-key.property.spec.ts; measured ~8× cheaper than JSON.parse per line (README "Stats").
 * @returns null for a line that is not an entry (never the case for a stored line).
 */
export function statsKeyOf(line: string): string | null {
  if (line.charCodeAt(0) !== 0x7b) return parsedKey(line);
  let pos = 1;
  let key = '';
  for (let k = 0; k < PREFIXES.length; k++) {
    if (!line.startsWith(PREFIXES[k], pos)) return parsedKey(line);
    pos += PREFIXES[k].length;
    if (line.charCodeAt(pos) !== QUOTE) return parsedKey(line);
    let end = pos + 1;
    let escaped = false;
    for (;;) {
      const c = line.charCodeAt(end);
      if (c !== c) return parsedKey(line); // NaN: the line ended inside the string
      if (c === QUOTE) break;
      if (c === BACKSLASH) {
        escaped = true;
        end++;
      }
      end++;
    }
    if (k >= 2) {
      const value = escaped
        ? (JSON.parse(line.slice(pos, end + 1)) as string)
        : line.slice(pos + 1, end);
      key = k === 2 ? value : key + SEP + value;
    }
    pos = end + 1;
  }
  return key;
}

function parsedKey(line: string): string | null {
  try {
    const e = JSON.parse(line) as Record<string, unknown>;
    const labels = [e.level, e.project, e.system, e.module];
    return labels.every((v) => typeof v === 'string') ? labels.join(SEP) : null;
  } catch {
    return null;
  }
}
