import { Logger } from './logger.js';
import type { LoggerOptions } from './logger-options.js';
import { nodeSocket } from './node-socket.js';

/**
 * Creates a Node producer (SPEC §9): the `ws` package, the key in the `x-api-key` header.
 * It connects at once and keeps reconnecting until `close()`.
 */
export function createLogger(options: LoggerOptions): Logger {
  return new Logger(options, nodeSocket);
}

export { Logger } from './logger.js';
export type { LoggerOptions, ReconnectOptions } from './logger-options.js';
export type { LoggerStats } from './logger-stats.js';
export type { LoggerEvents, LoggerEventName, Listener } from './event-hub.js';
export type { EntryFields, EntryInput, FieldError, LogEntry, LogLevel } from './log-entry.js';
