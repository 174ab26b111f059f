import { setTimeout as sleep } from 'node:timers/promises';
import { createLogger } from '../index.js';
import { parseCommand, positiveNumber, UsageError } from './cli-options.util.js';
import { parseLevelWeights, RequestChains } from './request-chains.generator.js';

const OPTIONS = {
  rate: { type: 'string' },
  'interval-ms': { type: 'string' },
  service: { type: 'string' },
  'level-weights': { type: 'string' },
  count: { type: 'string' },
  duration: { type: 'string' },
} as const;

const TICK_MS = 10;

interface GenerateIo {
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  interrupted: Promise<void>;
}

/**
 * `generate`: realistic traffic at `--rate` entries/s (100) or one per `--interval-ms`, until
 * `--count` entries or `--duration` seconds (or SIGINT); exits once everything sent is acked.
 * On a terminal a progress line shows sent/acked/rejected per second.
 */
export async function generateCommand(argv: string[], io: GenerateIo): Promise<number> {
  const { common, values } = parseCommand(argv, OPTIONS, io.env);
  const intervalMs = positiveNumber(values['interval-ms'], 'interval-ms');
  const rate = intervalMs ? 1000 / intervalMs : (positiveNumber(values.rate, 'rate') ?? 100);
  const count = positiveNumber(values.count, 'count') ?? Infinity;
  const durationMs = (positiveNumber(values.duration, 'duration') ?? Infinity) * 1000;
  let weights;
  try {
    weights = parseLevelWeights(
      (values['level-weights'] as string) ?? 'info:70,warning:20,error:10',
    );
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const project = (values.service as string | undefined) ?? 'demo-shop';
  const chains = new RequestChains(project, weights);
  const logger = createLogger({
    url: common.urls,
    apiKey: common.apiKey,
    project,
    system: 'generator',
    onFull: 'block',
    reconnect: { maxRetries: common.maxRetries },
  });
  logger.on('error', (error) => io.stderr.write(`\n${error.message}\n`));
  let stop = false;
  void io.interrupted.then(() => (stop = true));
  const progress = io.stderr.isTTY ? startProgress(logger, io.stderr) : undefined;
  const start = Date.now();
  let generated = 0;
  try {
    while (!stop && generated < count && Date.now() - start < durationMs) {
      const due = Math.min(count, Math.floor(((Date.now() - start) / 1000) * rate) + 1);
      while (generated < due) {
        await logger.log(chains.next());
        generated++;
      }
      await sleep(TICK_MS);
    }
    await logger.close();
  } catch (error) {
    io.stderr.write(`\ngenerate failed: ${(error as Error).message}\n`);
    return 2;
  } finally {
    if (progress) clearInterval(progress);
  }
  const { sent, acked, rejected } = logger.stats();
  io.stderr.write(`\ngenerated ${generated}: sent ${sent}, acked ${acked}, rejected ${rejected}\n`);
  return rejected > 0 ? 1 : 0;
}

function startProgress(
  logger: ReturnType<typeof createLogger>,
  out: NodeJS.WritableStream,
): ReturnType<typeof setInterval> {
  let last = logger.stats();
  return setInterval(() => {
    const now = logger.stats();
    const perS = (k: 'sent' | 'acked' | 'rejected') => now[k] - last[k];
    out.write(
      `\rsent ${now.sent} (${perS('sent')}/s)  acked ${now.acked} (${perS('acked')}/s)  ` +
        `rejected ${now.rejected} (${perS('rejected')}/s)   `,
    );
    last = now;
  }, 1000);
}
