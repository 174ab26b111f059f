/** The levels a LogEntry may carry (SPEC §1), least severe first. */
export const LOG_LEVELS = ['info', 'warning', 'error'] as const;

export type LogLevel = (typeof LOG_LEVELS)[number];
