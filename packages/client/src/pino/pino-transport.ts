import build from 'pino-abstract-transport';
import { createLogger } from '../index.js';
import type { LoggerOptions } from '../logger-options.js';
import { mapPinoRecord, type PinoRecord } from './pino-mapping.util.js';

/** `options` of `pino.transport({ target: '@logger-service/client/pino', options })`. */
export interface PinoTransportOptions extends LoggerOptions {
  /** The entry's module when a record has neither a `module` binding nor a `name` ('app'). */
  module?: string;
  /**
   * How long closing may wait for the last acks, in ms (5000): pino waits for its worker on
   * exit, and a service that is down must not hold the application's exit forever.
   */
  closeTimeoutMs?: number;
}

/**
 * The pino transport (SPEC §9): each record is mapped and handed to a logger; on close (pino's
 * flush at exit) it resolves once everything is acked, or after `closeTimeoutMs`.
 */
export default async function pinoTransport(options: PinoTransportOptions) {
  const { module = 'app', closeTimeoutMs = 5000, ...loggerOptions } = options;
  const logger = createLogger(loggerOptions);
  // The worker's stderr is the application's: what the transport could not do is said there.
  logger.on('error', (error) =>
    process.stderr.write(`logger-service transport: ${error.message}\n`),
  );
  logger.on('rejected', ({ entry, errors }) =>
    process.stderr.write(
      `logger-service transport: entry "${entry.action}" rejected: ${JSON.stringify(errors)}\n`,
    ),
  );
  const defaults = { project: options.project, system: options.system, module };
  return build(
    async (source) => {
      for await (const record of source as AsyncIterable<PinoRecord>) {
        await logger.log(mapPinoRecord(record, defaults));
      }
    },
    { close: () => closeWithin(logger.close(), closeTimeoutMs, () => logger.stats().buffered) },
  );
}

async function closeWithin(closing: Promise<void>, ms: number, left: () => number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), ms)));
  try {
    const outcome = await Promise.race([closing.then(() => 'closed' as const), late]);
    if (outcome === 'late') {
      process.stderr.write(
        `logger-service transport: ${left()} entries not acked within ${ms} ms\n`,
      );
    }
  } catch (error) {
    process.stderr.write(`logger-service transport: ${(error as Error).message}\n`);
  } finally {
    clearTimeout(timer);
  }
}
