import { browserSocket } from './browser-socket.js';
import { Logger } from './logger.js';
import type { LoggerOptions } from './logger-options.js';

/**
 * Creates a browser producer (SPEC §9): the global WebSocket, the key in `?apiKey=` (browsers
 * cannot set handshake headers). The same API as the Node build.
 */
export function createLogger(options: LoggerOptions): Logger {
  return new Logger(options, browserSocket);
}

export { Logger } from './logger.js';
export type { LoggerOptions, ReconnectOptions } from './logger-options.js';
export type { LoggerStats } from './logger-stats.js';
export type { LoggerEvents, LoggerEventName, Listener } from './event-hub.js';
export type { EntryFields, EntryInput, FieldError, LogEntry, LogLevel } from './log-entry.js';
