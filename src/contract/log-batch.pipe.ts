import { Injectable, type PipeTransform } from '@nestjs/common';
import { DomainError, type FieldError } from '../common/domain.error.js';
import { EnvDto } from '../config/env.dto.js';
import { IngestCounters } from '../metrics/ingest.counters.js';
import { checkEntries, type CheckedEntries } from './check-entries.util.js';
import { entriesMessage, SEQ_MESSAGE } from './log-batch.dto.js';

/** A batch frame's data once checked: valid entries in frame order, the others by index. */
export interface CheckedBatch extends CheckedEntries {
  seq: number | undefined;
}

interface BatchFrame {
  seq?: unknown;
  entries?: unknown;
}

/**
 * Checks a `batch` frame's data (LogBatchDto, by hand: see there) and each entry on its own, so
 * that valid entries are kept and invalid ones reported by index (SPEC §3). Entries are the
 * client's objects, not copies.
 * @throws DomainError 400 `invalid batch` when `seq` or `entries` itself is malformed.
 */
@Injectable()
export class LogBatchPipe implements PipeTransform<unknown, CheckedBatch> {
  private readonly maxEntries: number;

  constructor(
    env: EnvDto,
    private readonly counters: IngestCounters,
  ) {
    this.maxEntries = env.BATCH_MAX_ENTRIES;
  }

  transform(data: unknown): CheckedBatch {
    const frame = this.checkShape(data);
    const list = frame.entries as unknown[];
    const { entries, rejected } = checkEntries(list);
    this.counters.checked(list.length, rejected.length);
    return { seq: (frame.seq ?? undefined) as number | undefined, entries, rejected };
  }

  private checkShape(data: unknown): BatchFrame {
    const frame: BatchFrame =
      data !== null && typeof data === 'object' && !Array.isArray(data) ? data : {};
    const errors: FieldError[] = [];
    const seq = frame.seq;
    // `null` is absent, as IsOptional has it.
    if (seq != null && !(Number.isSafeInteger(seq) && (seq as number) >= 0)) {
      errors.push({ field: 'seq', message: SEQ_MESSAGE });
    }
    const list = frame.entries;
    if (!Array.isArray(list) || list.length < 1 || list.length > this.maxEntries) {
      errors.push({ field: 'entries', message: entriesMessage(this.maxEntries) });
    }
    if (errors.length > 0) throw new DomainError(400, 'invalid batch', errors);
    return frame;
  }
}
