import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Thrown for bad command-line input: main prints the message and the usage, exit code 2. */
export class UsageError extends Error {}

type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/** Options every subcommand takes (SPEC §9). */
const COMMON: OptionSpec = {
  url: { type: 'string', multiple: true },
  key: { type: 'string' },
  'max-retries': { type: 'string' },
};

export interface CommonOptions {
  /** One or more WebSocket endpoints: `--url` repeated or comma-separated, else LOGGER_URL. */
  urls: string[];
  apiKey: string;
  maxRetries: number;
}

/** Parses a subcommand's arguments with node:util parseArgs; unknown options are errors. */
export function parseCommand(
  argv: string[],
  options: OptionSpec,
  env: NodeJS.ProcessEnv,
): { common: CommonOptions; values: Record<string, string | boolean | undefined> } {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { ...COMMON, ...options }, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const values = parsed.values as Record<string, string | boolean | string[] | undefined>;
  const urlText = (values.url as string[] | undefined)?.join(',') ?? env.LOGGER_URL ?? '';
  const urls = urlText.split(',').filter((u) => u !== '');
  if (urls.length === 0) throw new UsageError('--url (or LOGGER_URL) is required');
  const apiKey = (values.key as string | undefined) ?? env.LOGGER_API_KEY ?? '';
  if (apiKey === '') throw new UsageError('--key (or LOGGER_API_KEY) is required');
  const maxRetries = values['max-retries'] === undefined ? 10 : Number(values['max-retries']);
  if (!Number.isSafeInteger(maxRetries) || maxRetries < 1) {
    throw new UsageError(`--max-retries must be a positive integer`);
  }
  return {
    common: { urls, apiKey, maxRetries },
    values: values as Record<string, string | boolean | undefined>,
  };
}

/** A positive number option, or undefined when absent. */
export function positiveNumber(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${name} must be a positive number`);
  return n;
}
