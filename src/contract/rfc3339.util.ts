const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const ZERO = 48;

/**
 * RFC 3339 date-time with a zone, and a real calendar date (2026-02-30 is refused):
 * `YYYY-MM-DD(T|t| )HH:MM:SS[.fraction](Z|z|±HH:MM)`. RFC 3339 §5.6 allows the lowercase letters
 * and the space separator; PostgreSQL's timestamptz and `Date.parse` accept them too. Seconds may
 * be 60 (leap second). Hand-written rather than a RegExp plus `Date` because it runs per entry.
 */
export function isRfc3339(value: unknown): boolean {
  // 20 = "YYYY-MM-DDTHH:MM:SSZ"; 40 leaves room for a 14-digit fraction and an offset.
  if (typeof value !== 'string' || value.length < 20 || value.length > 40) return false;
  return isDate(value) && isTime(value) && isZone(value, fractionEnd(value));
}

/** `n` ASCII digits at `i` as a number, or -1. */
function digits(s: string, i: number, n: number): number {
  if (i + n > s.length) return -1;
  let v = 0;
  for (let k = i; k < i + n; k++) {
    const d = s.charCodeAt(k) - ZERO;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

function isDate(s: string): boolean {
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  if (year < 0 || s[4] !== '-' || s[7] !== '-' || month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return day <= (month === 2 && leap ? 29 : DAYS_IN_MONTH[month]);
}

function isTime(s: string): boolean {
  const t = s[10];
  if ((t !== 'T' && t !== 't' && t !== ' ') || s[13] !== ':' || s[16] !== ':') return false;
  const hour = digits(s, 11, 2);
  const minute = digits(s, 14, 2);
  const second = digits(s, 17, 2);
  return hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59 && second >= 0 && second <= 60;
}

/** Index just past the optional `.fraction` (which needs at least one digit), or -1. */
function fractionEnd(s: string): number {
  if (s[19] !== '.') return 19;
  let i = 20;
  while (i < s.length && s.charCodeAt(i) >= ZERO && s.charCodeAt(i) <= ZERO + 9) i++;
  return i === 20 ? -1 : i;
}

function isZone(s: string, i: number): boolean {
  if (i < 0) return false;
  const z = s[i];
  if (z === 'Z' || z === 'z') return i + 1 === s.length;
  if (z !== '+' && z !== '-') return false;
  const hours = digits(s, i + 1, 2);
  const minutes = digits(s, i + 4, 2);
  return (
    i + 6 === s.length &&
    s[i + 3] === ':' &&
    hours >= 0 &&
    hours <= 23 &&
    minutes >= 0 &&
    minutes <= 59
  );
}

/**
 * Epoch ms of a string that passed isRfc3339. `Date.parse` refuses a leap second (`:60`), which
 * RFC 3339 allows: it names the instant one second after `:59` (the next minute's `:00`).
 * @returns NaN for a string isRfc3339 refuses (Date.parse then decides).
 */
export function rfc3339ToMs(value: string): number {
  if (value.charCodeAt(17) !== 0x36 || value.charCodeAt(18) !== 0x30) return Date.parse(value);
  return Date.parse(`${value.slice(0, 17)}59${value.slice(19)}`) + 1000;
}
