declare global {
  interface String {
    /** ES2024 (Node ≥ 20 has it); the project's `lib` stops at ES2023. */
    isWellFormed(): boolean;
  }
}

/**
 * A string every backend can store as acked (SPEC §1): `min..max` Unicode code points, no lone
 * surrogate and no U+0000 (PostgreSQL's jsonb refuses both). Never coerces: a number is not a string.
 */
export function isContractString(value: unknown, min: number, max: number): boolean {
  return typeof value === 'string' && hasLengthWithin(value, min, max) && isStorableText(value);
}

/** Whether `s` has `min..max` code points; counts them only when `.length` cannot decide. */
export function hasLengthWithin(s: string, min: number, max: number): boolean {
  const units = s.length;
  // A code point is one or two UTF-16 units, so `units` bounds the count from above and
  // `ceil(units / 2)` from below: typical short fields never need the counting loop.
  if (units < min) return false;
  if (units <= max && (units + 1) >> 1 >= min) return true;
  const points = codePointLength(s);
  return points >= min && points <= max;
}

/** No U+0000 and no lone surrogate: both native scans, so short ASCII strings cost almost nothing. */
export function isStorableText(s: string): boolean {
  return s.indexOf('\0') === -1 && s.isWellFormed();
}

/** Length in Unicode code points (a lone surrogate counts as one, as `for...of` would). */
export function codePointLength(s: string): number {
  let points = s.length;
  for (let i = 0; i < s.length - 1; i++) {
    const unit = s.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        points--;
        i++;
      }
    }
  }
  return points;
}
