import { IsIn, IsOptional } from 'class-validator';
import { IsContractString } from '../contract/contract-string.validator.js';
import { LOG_LEVELS, type LogLevel } from '../contract/log-level.enum.js';

/**
 * The data of a `subscribe` frame (SPEC §3): which newly stored entries to push. Every field is
 * optional and they combine with AND, each an exact match on the entry's field of that name. The
 * rules are class-validator's; TailFilterPipe runs them through the compiled entry checker.
 */
export class TailFilterDto {
  @IsOptional()
  @IsIn(LOG_LEVELS, { message: `$property must be one of: ${LOG_LEVELS.join(', ')}` })
  level?: LogLevel;

  @IsOptional()
  @IsContractString(1, 128)
  project?: string;

  @IsOptional()
  @IsContractString(1, 128)
  system?: string;

  @IsOptional()
  @IsContractString(1, 128)
  module?: string;

  @IsOptional()
  @IsContractString(1, 128)
  correlationId?: string;
}

/** The filter fields, in the order `subscribed` echoes them. */
export const TAIL_FILTER_FIELDS = [
  'level',
  'project',
  'system',
  'module',
  'correlationId',
] as const;

export type TailFilterField = (typeof TAIL_FILTER_FIELDS)[number];

/** A checked filter: only the fields that were given, as strings. */
export type TailFilter = Readonly<Partial<Record<TailFilterField, string>>>;
