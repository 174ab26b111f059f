import { Transform } from 'class-transformer';
import {
  ArrayUnique,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { availableCpus } from './available-cpus.util.js';

/** Storage strategies of SPEC §5; `STORAGE` is one of them or a comma list of them. */
export const STORAGE_KINDS = ['file', 'redis', 'postgres'] as const;
export type StorageKind = (typeof STORAGE_KINDS)[number];

export const FSYNC_MODES = ['never', 'always'] as const;
export type FsyncMode = (typeof FSYNC_MODES)[number];

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** `name:key[,name:key]`: names and keys are non-empty and contain no `,`; keys no `:` prefix. */
const KEY_LIST = /^[^:,]+:[^,]+(,[^:,]+:[^,]+)*$/;

/** An origin as browsers send it: scheme, host and an optional port, nothing after. */
const ORIGIN = /^https?:\/\/[^/?#\s:]+(:\d{1,5})?$/i;

/** Decimal integers only: Number() would also take `0x50`, `1e3` or ` ` as numbers. */
const integer = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? (/^\s*-?\d+\s*$/.test(value) ? Number(value) : NaN) : value;

/** WORKERS: `auto` is every core this process may use (availableCpus); else a decimal integer. */
const workers = (arg: { value: unknown }) =>
  typeof arg.value === 'string' && arg.value.trim().toLowerCase() === 'auto'
    ? availableCpus()
    : integer(arg);

const trimmed = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim() : value;
const list = ({ value }: { value: unknown }) =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : value;

/**
 * The whole environment of SPEC §6, validated once at boot (see app.config.ts). Defaults live
 * here and nowhere else; every other class receives this object (or a section of it) by injection.
 */
export class EnvDto {
  @Transform(integer)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  /**
   * Processes serving the port (src/cluster): 1 is one process, as without the variable; more
   * makes a supervising primary fork that many workers; `auto` is availableCpus(): the cores
   * this process may use, within its container's CPU quota.
   */
  @Transform(workers)
  @IsInt({ message: 'WORKERS must be a positive integer or auto' })
  @Min(1, { message: 'WORKERS must be a positive integer or auto' })
  @Max(1024)
  WORKERS = 1;

  /** Interface to listen on; the bench harness sets 127.0.0.1. */
  @IsString()
  @MinLength(1)
  HOST = '0.0.0.0';

  @Matches(/^\/[^?#\s]*$/, { message: 'WS_PATH must be an absolute path such as /ws' })
  WS_PATH = '/ws';

  @Transform(list)
  @IsIn(STORAGE_KINDS, {
    each: true,
    message: `STORAGE must be a comma list of: ${STORAGE_KINDS.join(', ')}`,
  })
  @ArrayUnique({ message: 'STORAGE must not list a kind twice' })
  STORAGE: StorageKind[] = ['file'];

  /** SPEC §5: `always` fdatasyncs every group written to a file or the spool before its acks. */
  @IsIn(FSYNC_MODES)
  FSYNC: FsyncMode = 'never';

  @IsString()
  @MinLength(1)
  LOG_DIR = './data/logs';

  @IsString()
  @MinLength(1)
  SPOOL_DIR = './data/spool';

  @ValidateIf((env: EnvDto) => env.STORAGE?.includes?.('redis') || env.REDIS_URL !== undefined)
  @Transform(trimmed)
  @Matches(/^rediss?:\/\/.+/, {
    message: 'REDIS_URL must be a redis:// or rediss:// URL (required when STORAGE includes redis)',
  })
  REDIS_URL?: string;

  @IsString()
  SESSION_KEY_PREFIX = 'session:';

  @Transform(integer)
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  SESSION_CACHE_MS = 5000;

  @IsOptional()
  @Matches(KEY_LIST, { message: 'API_KEYS must be name:key[,name:key]' })
  API_KEYS?: string;

  @IsOptional()
  @Matches(KEY_LIST, { message: 'READ_API_KEYS must be name:key[,name:key]' })
  READ_API_KEYS?: string;

  @ValidateIf(
    (env: EnvDto) => env.STORAGE?.includes?.('postgres') || env.DATABASE_URL !== undefined,
  )
  @Matches(/^postgres(ql)?:\/\/.+/, {
    message: 'DATABASE_URL must be a postgres:// URL (required when STORAGE includes postgres)',
  })
  DATABASE_URL?: string;

  @IsString()
  @MinLength(1)
  REDIS_STREAM_KEY = 'logs';

  @Transform(integer)
  @IsInt()
  @Min(1000)
  REDIS_STREAM_MAXLEN = 1_000_000;

  /**
   * How long the stream remembers the last group each writer stored (its dedupe mark); a spool
   * replayed later than this after its writer's last write could store entries twice.
   */
  @Transform(integer)
  @IsInt()
  @Min(60)
  REDIS_STREAM_DEDUPE_TTL_S = 604_800;

  /** Connections of the `postgres` sink's pool. */
  @Transform(integer)
  @IsInt()
  @Min(1)
  @Max(100)
  PG_POOL_SIZE = 4;

  /**
   * Server-side `statement_timeout` and client-side query timeout of the `postgres` sink (ms).
   * At least the replay timeout (5 × STORAGE_WRITE_TIMEOUT_MS), or the server cancels replays of
   * a slow database; an INSERT the breaker gave up on runs at most this long.
   */
  @Transform(integer)
  @IsInt()
  @Min(100)
  @Max(600_000)
  PG_STATEMENT_TIMEOUT_MS = 10_000;

  @Transform(integer)
  @IsInt()
  @Min(100)
  @Max(600_000)
  PG_CONNECT_TIMEOUT_MS = 2000;

  /** A `redis`/`postgres` write slower than this counts as failed: its group goes to the spool. */
  @Transform(integer)
  @IsInt()
  @Min(10)
  @Max(600_000)
  STORAGE_WRITE_TIMEOUT_MS = 2000;

  /** Consecutive failed writes that open a sink's circuit breaker. */
  @Transform(integer)
  @IsInt()
  @Min(1)
  @Max(1000)
  BREAKER_FAILURES = 3;

  /** How long an open breaker waits before one half-open probe (the oldest spooled group). */
  @Transform(integer)
  @IsInt()
  @Min(10)
  @Max(600_000)
  BREAKER_HALF_OPEN_MS = 1000;

  /** Bytes the spool of one sink may hold; past it (or a full disk) ingest answers 503. */
  @Transform(integer)
  @IsInt()
  @Min(4096)
  SPOOL_MAX_BYTES = 1 << 30;

  @Transform(integer)
  @IsInt()
  @Min(1024)
  @Max(1 << 30)
  WS_MAX_PAYLOAD = 1_048_576;

  @Transform(integer)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  WS_MAX_CONNECTIONS = 10_000;

  @Transform(integer)
  @IsInt()
  @Min(1000)
  @Max(3_600_000)
  WS_PING_INTERVAL_MS = 30_000;

  @Transform(integer)
  @IsInt()
  @Min(1)
  @Max(100_000)
  BATCH_MAX_ENTRIES = 1000;

  /** Unacked frames per connection before its socket stops being read (SPEC §3 backpressure). */
  @Transform(integer)
  @IsInt()
  @Min(1)
  @Max(100_000)
  WS_MAX_INFLIGHT = 256;

  @Transform(integer)
  @IsInt()
  @Min(100)
  @Max(600_000)
  SHUTDOWN_TIMEOUT_MS = 10_000;

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';

  @Transform(integer)
  @IsInt()
  @Min(1)
  PRODUCER_TTL_S = 86_400;

  /** SPEC §3 fairness: entries per second per key name (or session user); 0 = no limit. */
  @Transform(integer)
  @IsInt()
  @Min(0)
  @Max(100_000_000)
  RATE_LIMIT_ENTRIES_PER_S = 0;

  /** Bucket size of the rate limit; unset: twice the rate (see rateLimitBurst). */
  @IsOptional()
  @Transform(integer)
  @IsInt()
  @Min(1)
  @Max(1_000_000_000)
  RATE_LIMIT_BURST?: number;

  /** Bytes a tail subscriber's socket may have queued before entries are dropped for it. */
  @Transform(integer)
  @IsInt()
  @Min(1024)
  @Max(1 << 30)
  TAIL_MAX_BUFFERED_BYTES = 262_144;

  /** Largest POST /logs body in bytes, whatever its content type (SPEC §4); larger gets 413. */
  @Transform(integer)
  @IsInt()
  @Min(1024)
  @Max(1 << 30)
  HTTP_MAX_BODY = 10_485_760;

  /** Origins browsers may connect from (SPEC §3); unset = any. */
  @IsOptional()
  @Transform(list)
  @Matches(ORIGIN, {
    each: true,
    message: 'ALLOWED_ORIGINS must be a comma list of origins such as https://app.example.com',
  })
  ALLOWED_ORIGINS?: string[];
}

/** RATE_LIMIT_BURST, or its default of twice the rate (SPEC §6). */
export function rateLimitBurst(env: EnvDto): number {
  return env.RATE_LIMIT_BURST ?? 2 * env.RATE_LIMIT_ENTRIES_PER_S;
}

/** Every variable of SPEC §6 (plus HOST and WS_MAX_INFLIGHT), including those without a default. */
export const ENV_NAMES: readonly string[] = [
  ...Object.keys(new EnvDto()),
  'REDIS_URL',
  'API_KEYS',
  'READ_API_KEYS',
  'DATABASE_URL',
  'RATE_LIMIT_BURST',
  'ALLOWED_ORIGINS',
];
