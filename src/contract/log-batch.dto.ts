import { ArrayMinSize, IsArray, IsInt, IsOptional, Max, Min } from 'class-validator';

export const SEQ_MESSAGE = `seq must be an integer in 0..${Number.MAX_SAFE_INTEGER}`;

/** The error for a batch whose `entries` is not a list of 1..`max` entries. */
export function entriesMessage(max: number | string): string {
  return `entries must be an array of 1..${max} entries`;
}

/**
 * The data of a `batch` frame (SPEC §3 and §8). LogBatchPipe checks these two fields by hand
 * (two comparisons, cheaper than class-validator per frame) and log-batch.pipe.spec.ts checks
 * that both agree. The upper bound of `entries`, BATCH_MAX_ENTRIES, is configuration, not
 * contract, so only the pipe enforces it. Each entry is checked against LogEntryDto on its own
 * so that one bad entry rejects only itself.
 */
export class LogBatchDto {
  @IsOptional()
  @IsInt({ message: SEQ_MESSAGE })
  @Min(0, { message: SEQ_MESSAGE })
  @Max(Number.MAX_SAFE_INTEGER, { message: SEQ_MESSAGE })
  seq?: number;

  @IsArray({ message: entriesMessage('BATCH_MAX_ENTRIES') })
  @ArrayMinSize(1, { message: entriesMessage('BATCH_MAX_ENTRIES') })
  entries: unknown[];
}
