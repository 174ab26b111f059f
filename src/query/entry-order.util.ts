const ENTRY_ORDER = [
  'timestamp',
  'correlationId',
  'level',
  'project',
  'system',
  'module',
  'action',
  'errorType',
  'errorCode',
  'errorMessage',
  'activeSession',
] as const;
const SESSION_ORDER = ['user', 'timestamp', 'ipaddress'] as const;

/**
 * `entry` with its keys in SPEC §1 order (jsonb keeps values, not key order); absent optional
 * fields stay absent. Keys outside the contract cannot be stored, so none are lost.
 */
export function inSpecOrder(entry: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of ENTRY_ORDER) {
    if (entry[key] !== undefined) out[key] = entry[key];
  }
  const session = entry.activeSession;
  if (session !== null && typeof session === 'object' && !Array.isArray(session)) {
    const s = session as Record<string, unknown>;
    const ordered: Record<string, unknown> = {};
    for (const key of SESSION_ORDER) if (s[key] !== undefined) ordered[key] = s[key];
    out.activeSession = ordered;
  }
  return out;
}
