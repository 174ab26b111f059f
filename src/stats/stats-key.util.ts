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
