import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { ENV_NAMES, EnvDto } from './env.dto.js';

/** Thrown at boot for an invalid environment; main.ts prints it and exits 1. */
export class InvalidConfigError extends Error {
  override readonly name = 'InvalidConfigError';
}

/**
 * Validates the raw environment (process.env merged with .env by @nestjs/config) into an EnvDto.
 * Empty strings count as unset so that `PORT=` in a .env file means "the default".
 */
export function validateEnv(raw: Record<string, unknown>): EnvDto {
  const picked: Record<string, unknown> = {};
  for (const name of ENV_NAMES) {
    const value = raw[name];
    if (value !== undefined && value !== '') picked[name] = value;
  }
  const env = plainToInstance(EnvDto, picked, { exposeDefaultValues: true });
  const errors = validateSync(env, { forbidUnknownValues: true });
  if (errors.length > 0) throw new InvalidConfigError(describe(errors, picked));
  checkKeysUnique(env);
  return env;
}

/** The same key under two names would credit one name with the other's entries. */
function checkKeysUnique(env: EnvDto): void {
  const keys = [env.API_KEYS, env.READ_API_KEYS]
    .flatMap((list) => (list ?? '').split(','))
    .filter(Boolean)
    .map((pair) => pair.slice(pair.indexOf(':') + 1).trim());
  if (new Set(keys).size !== keys.length) {
    throw new InvalidConfigError(
      'invalid environment variable API_KEYS/READ_API_KEYS=<redacted>: a key is listed more than once',
    );
  }
}

function describe(errors: ValidationError[], raw: Record<string, unknown>): string {
  return errors
    .map((e) => {
      const value = raw[e.property];
      const shown =
        e.property.includes('KEYS') || e.property.endsWith('_URL')
          ? '<redacted>'
          : JSON.stringify(value ?? null);
      return `invalid environment variable ${e.property}=${shown}: ${Object.values(e.constraints ?? {}).join('; ')}`;
    })
    .join('\n');
}
