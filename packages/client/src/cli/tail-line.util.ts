/** A stored entry as the tail pushes it (SPEC §1). */
export interface TailEntry {
  timestamp: string;
  correlationId: string;
  level: string;
  project: string;
  system: string;
  module: string;
  action: string;
  errorType?: string;
  errorCode?: number;
  errorMessage?: string;
  activeSession?: { user?: string };
}

const COLOURS: Record<string, string> = {
  info: '\x1b[32m',
  warning: '\x1b[33m',
  error: '\x1b[31m',
};
const DIM = '\x1b[2m';
const RESET = '\x1b[0m';

/**
 * One readable line an entry, for a person at a terminal:
 * `10:30:00.000 ERROR absences/backend AddCompanies.saveHandler [corr] unauth 401: message`.
 */
export function formatTailLine(entry: TailEntry, colour: boolean): string {
  const paint = (code: string, text: string) => (colour ? `${code}${text}${RESET}` : text);
  const time = entry.timestamp.length >= 23 ? entry.timestamp.slice(11, 23) : entry.timestamp;
  const level = paint(COLOURS[entry.level] ?? '', entry.level.toUpperCase().padEnd(7));
  const where = `${entry.project}/${entry.system} ${entry.module}.${entry.action}`;
  const error = [entry.errorType, entry.errorCode, entry.errorMessage].filter(
    (p) => p !== undefined,
  );
  const tail = error.length > 0 ? ` ${paint(COLOURS.error, errorText(entry))}` : '';
  return `${paint(DIM, time)} ${level} ${where} ${paint(DIM, `[${entry.correlationId}]`)}${tail}`;
}

function errorText(entry: TailEntry): string {
  const head = [entry.errorType, entry.errorCode].filter((p) => p !== undefined).join(' ');
  if (entry.errorMessage === undefined) return head;
  return head === '' ? entry.errorMessage : `${head}: ${entry.errorMessage}`;
}
