import { DomainError } from '../common/domain.error.js';
import type { EnvDto, StorageKind } from '../config/env.dto.js';
import { JsonlFileReader } from './jsonl-file.reader.js';
import type { LogReader } from './log-reader.interface.js';

/** A storage kind whose reader is not built yet: GET /logs answers 501, saying so. */
class NotYetReader implements LogReader {
  constructor(private readonly kind: StorageKind) {}

  read(): Promise<never> {
    return Promise.reject(
      new DomainError(501, `GET /logs is not available for STORAGE=${this.kind} in this version`),
    );
  }
}

/**
 * The reader of the first configured `STORAGE` kind (the one queries are answered from).
 * Exhaustive like createLogSink: a new kind fails to compile here until it is handled.
 */
export function createLogReader(env: EnvDto): LogReader {
  const kind = env.STORAGE[0];
  switch (kind) {
    case 'file':
      return new JsonlFileReader(env.LOG_DIR);
    case 'redis':
    case 'postgres':
      return new NotYetReader(kind);
    default: {
      const unknown: never = kind;
      throw new Error(`unknown STORAGE kind ${JSON.stringify(unknown)}`);
    }
  }
}
