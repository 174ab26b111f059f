/** The configured LogReader (see createLogReader). */
export const LOG_READER = Symbol('LOG_READER');

/** Most entries one GET /logs page may ask for (SPEC §4). */
export const MAX_LIMIT = 1000;
export const DEFAULT_LIMIT = 100;
