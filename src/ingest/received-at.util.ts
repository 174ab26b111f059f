let lastMs = 0;
let lastIso = '';

/** Receipt time as ISO-8601 UTC with ms; formatted once per millisecond, not once per entry. */
export function receivedAt(): string {
  const ms = Date.now();
  if (ms !== lastMs) {
    lastMs = ms;
    lastIso = new Date(ms).toISOString();
  }
  return lastIso;
}
