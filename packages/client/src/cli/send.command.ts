import { createInterface } from 'node:readline';
import { createLogger } from '../index.js';
import { parseCommand } from './cli-options.util.js';

const OPTIONS = {
  project: { type: 'string' },
  system: { type: 'string' },
} as const;

/**
 * `send`: NDJSON entries on stdin, `--project`/`--system` filling what a line leaves out.
 * Resolves with the exit code: 0 once all are acked, 1 if any was rejected (or not JSON).
 */
export async function sendCommand(
  argv: string[],
  io: { stdin: NodeJS.ReadableStream; stderr: NodeJS.WritableStream; env: NodeJS.ProcessEnv },
): Promise<number> {
  const { common, values } = parseCommand(argv, OPTIONS, io.env);
  const project = values.project as string | undefined;
  const system = values.system as string | undefined;
  const logger = createLogger({
    url: common.urls,
    apiKey: common.apiKey,
    // Only the fills below reach an entry: a line without project and no --project is sent
    // without one, so that the service rejects it and says why.
    project: project ?? '-',
    system: system ?? '-',
    onFull: 'block',
    reconnect: { maxRetries: common.maxRetries },
  });
  let unreadable = 0;
  logger.on('rejected', ({ entry, errors }) =>
    io.stderr.write(`rejected ${JSON.stringify(entry)}: ${JSON.stringify(errors)}\n`),
  );
  logger.on('error', (error) => io.stderr.write(`${error.message}\n`));
  let lineNo = 0;
  for await (const line of createInterface({ input: io.stdin, crlfDelay: Infinity })) {
    lineNo++;
    if (line.trim() === '') continue;
    const entry = parseLine(line);
    if (!entry) {
      unreadable++;
      io.stderr.write(`line ${lineNo}: not a JSON object\n`);
      continue;
    }
    await logger.log({
      ...entry,
      project: entry.project ?? project,
      system: entry.system ?? system,
    });
  }
  try {
    await logger.close();
  } catch (error) {
    io.stderr.write(`send failed: ${(error as Error).message}\n`);
    return 2;
  }
  const { acked, rejected } = logger.stats();
  io.stderr.write(`accepted ${acked}, rejected ${rejected + unreadable}\n`);
  return rejected + unreadable > 0 ? 1 : 0;
}

type Line = Parameters<ReturnType<typeof createLogger>['log']>[0];

function parseLine(line: string): Line | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Line)
      : undefined;
  } catch {
    return undefined;
  }
}
