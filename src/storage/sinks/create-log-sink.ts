import { InvalidConfigError } from '../../config/app.config.js';
import type { EnvDto, StorageKind } from '../../config/env.dto.js';
import { JsonlFileSink } from './jsonl-file.sink.js';
import type { LogSink } from './log-sink.interface.js';

/**
 * Builds the sink of one `STORAGE` kind. Exhaustive: adding a kind to `STORAGE_KINDS` fails to
 * compile here until it is handled, and a kind that slips past validation throws at boot.
 */
export function createLogSink(kind: StorageKind, env: EnvDto): LogSink {
  switch (kind) {
    case 'file':
      return fileSink(env.LOG_DIR);
    case 'redis':
    case 'postgres':
      throw new InvalidConfigError(`STORAGE=${kind} is not implemented yet`);
    default: {
      const unknown: never = kind;
      throw new Error(`unknown STORAGE kind ${JSON.stringify(unknown)}`);
    }
  }
}

/** Builds the sink `env.STORAGE` configures; the `LOG_SINK` provider's factory. */
export function createConfiguredLogSink(env: EnvDto): LogSink {
  const kinds = [...new Set(env.STORAGE)];
  if (kinds.length === 0) throw new InvalidConfigError('STORAGE lists no kind');
  if (kinds.length > 1) {
    throw new InvalidConfigError(
      'STORAGE lists more than one kind; fan-out is not implemented yet',
    );
  }
  return createLogSink(kinds[0], env);
}

/** A LOG_DIR that cannot be created is the operator's to fix: say which variable. */
function fileSink(dir: string): LogSink {
  try {
    return new JsonlFileSink(dir);
  } catch (error) {
    throw new InvalidConfigError(
      `invalid environment variable LOG_DIR=${JSON.stringify(dir)}: ${(error as Error).message}`,
    );
  }
}
