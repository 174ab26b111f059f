import { IsDefined, IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { IsContractString } from './contract-string.validator.js';
import { LOG_LEVELS, type LogLevel } from './log-level.enum.js';
import { IsRfc3339 } from './rfc3339.validator.js';

const REQUIRED = '$property is required';
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const INT32 = `$property must be an integer in ${INT32_MIN}..${INT32_MAX}`;

/**
 * A LogEntry as a client sends it (SPEC §1), and the single source of truth for its rules:
 * `compileEntryChecker` compiles these decorators into the per-entry fast path, and refuses any
 * constraint it cannot compile. `null` counts as absent for optional fields (IsOptional).
 * Unknown fields and a client's `activeSession` are not declared: `serializeEntry` drops them.
 * Class-validator evaluates a property's decorators bottom-up; IsDefined always runs first.
 */
export class LogEntryDto {
  @IsOptional()
  @IsRfc3339()
  timestamp?: string;

  @IsOptional()
  @IsContractString(1, 128)
  correlationId?: string;

  @IsDefined({ message: REQUIRED })
  @IsIn(LOG_LEVELS, { message: `$property must be one of: ${LOG_LEVELS.join(', ')}` })
  level: LogLevel;

  @IsDefined({ message: REQUIRED })
  @IsContractString(1, 128)
  project: string;

  @IsDefined({ message: REQUIRED })
  @IsContractString(1, 128)
  system: string;

  @IsDefined({ message: REQUIRED })
  @IsContractString(1, 128)
  module: string;

  @IsDefined({ message: REQUIRED })
  @IsContractString(1, 128)
  action: string;

  @IsOptional()
  @IsContractString(1, 64)
  errorType?: string;

  // One message for the three: "500", 1.5 and 2**31 are all "not an int32" to a client.
  @IsOptional()
  @IsInt({ message: INT32 })
  @Min(INT32_MIN, { message: INT32 })
  @Max(INT32_MAX, { message: INT32 })
  errorCode?: number;

  @IsOptional()
  @IsContractString(0, 8192)
  errorMessage?: string;
}

/** Who sent an entry, set by the server from the API key (SPEC §2); never taken from the client. */
export interface ActiveSession {
  user: string;
  timestamp: string;
  ipaddress: string;
}
