import type { LogEntry } from './log-entry.js';

/** The viewer's own time zone, as the browser reports it. */
export const VIEWER_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;

const SECONDS = new Intl.DateTimeFormat(undefined, {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});
const DATE_TIME = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  fractionalSecondDigits: 3,
  hourCycle: 'h23',
});

let cachedSecond = NaN;
let cachedText = '';

/**
 * `timestamp` as a time of day in the viewer's zone, `HH:mm:ss.SSS`; text a Date cannot hold is
 * shown as is. The tail formats up to thousands a second, mostly of the same second: Intl
 * formats each second once, and the milliseconds are appended (zone offsets are whole seconds).
 */
export function formatTime(timestamp: string): string {
  const at = Date.parse(timestamp);
  if (Number.isNaN(at)) return timestamp;
  const second = Math.floor(at / 1000);
  if (second !== cachedSecond) {
    cachedSecond = second;
    cachedText = SECONDS.format(second * 1000);
  }
  return `${cachedText}.${String(at - second * 1000).padStart(3, '0')}`;
}

/** `timestamp` as date and time in the viewer's zone. */
export function formatDateTime(timestamp: string): string {
  const at = Date.parse(timestamp);
  return Number.isNaN(at) ? timestamp : DATE_TIME.format(at);
}

/** The error fields in one line: `type (code): message`, empty when the entry has none. */
export function errorText(entry: LogEntry, maxMessage = Infinity): string {
  const parts: string[] = [];
  if (entry.errorType !== undefined) parts.push(entry.errorType);
  if (entry.errorCode !== undefined) parts.push(`(${entry.errorCode})`);
  let text = parts.join(' ');
  if (entry.errorMessage !== undefined) {
    const message =
      entry.errorMessage.length > maxMessage
        ? `${entry.errorMessage.slice(0, maxMessage)}…`
        : entry.errorMessage;
    text = text === '' ? message : `${text}: ${message}`;
  }
  return text;
}

/** A `datetime-local` value (the viewer's zone) as RFC 3339 UTC; undefined when empty or bad. */
export function localInputToIso(value: string): string | undefined {
  if (value === '') return undefined;
  const at = new Date(value).getTime();
  return Number.isNaN(at) ? undefined : new Date(at).toISOString();
}
