/** The `key_name` label of entries from keys beyond the first MAX_KEY_NAMES names seen. */
export const OTHER_KEY_NAME = 'other';

/** Distinct `key_name` label values: session users are unbounded, a scrape must not be. */
export const MAX_KEY_NAMES = 100;

/**
 * Adds `n` to `name`'s count in `totals`, where at most `max` names get their own entry: a name
 * first seen when `max` are taken counts into OTHER_KEY_NAME (which is not one of the `max`).
 * Names already counted keep counting under their own name.
 */
export function addByKeyName(
  totals: Map<string, number>,
  name: string,
  n: number,
  max = MAX_KEY_NAMES,
): void {
  const current = totals.get(name);
  if (current !== undefined) {
    totals.set(name, current + n);
    return;
  }
  const own = totals.size - (totals.has(OTHER_KEY_NAME) ? 1 : 0);
  const label = own < max && name !== OTHER_KEY_NAME ? name : OTHER_KEY_NAME;
  totals.set(label, (totals.get(label) ?? 0) + n);
}
