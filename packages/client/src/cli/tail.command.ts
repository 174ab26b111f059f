import WebSocket from 'ws';
import { parseCommand } from './cli-options.util.js';
import { formatTailLine, type TailEntry } from './tail-line.util.js';

const OPTIONS = {
  level: { type: 'string' },
  project: { type: 'string' },
  system: { type: 'string' },
  module: { type: 'string' },
  'correlation-id': { type: 'string' },
  json: { type: 'boolean' },
} as const;

interface TailIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  /** Resolves when the user wants to stop (SIGINT). */
  interrupted: Promise<void>;
}

/**
 * `tail`: subscribes with a reader key (SPEC §3) and prints every matching entry: a coloured line
 * on a terminal, the entries alone as NDJSON with `--json` (or when stdout is not a terminal and
 * `--json` is given). Resolves with the exit code: 0 on SIGINT, 1 when the service ends it.
 */
export async function tailCommand(argv: string[], io: TailIo): Promise<number> {
  const { common, values } = parseCommand(argv, OPTIONS, io.env);
  const filter: Record<string, string> = {};
  for (const name of ['level', 'project', 'system', 'module'] as const) {
    if (typeof values[name] === 'string') filter[name] = values[name];
  }
  if (typeof values['correlation-id'] === 'string') filter.correlationId = values['correlation-id'];
  const json = values.json === true;
  const colour = io.stdout.isTTY === true && !io.env.NO_COLOR;
  const ws = new WebSocket(common.urls[0], {
    headers: { 'x-api-key': common.apiKey },
    perMessageDeflate: false,
  });
  ws.on('open', () => ws.send(JSON.stringify({ event: 'subscribe', data: filter })));
  ws.on('message', (raw) => {
    const frame = JSON.parse(raw.toString()) as { event: string; data: Record<string, unknown> };
    if (frame.event === 'log') {
      const entry = frame.data as unknown as TailEntry;
      io.stdout.write(`${json ? JSON.stringify(entry) : formatTailLine(entry, colour)}\n`);
    } else if (frame.event === 'subscribed') {
      io.stderr.write(`subscribed ${JSON.stringify(frame.data.filter)}\n`);
    } else if (frame.event === 'dropped') {
      io.stderr.write(`the service dropped ${String(frame.data.count)} entries (tail too slow)\n`);
    } else if (frame.event === 'error') {
      io.stderr.write(`error ${String(frame.data.status)}: ${String(frame.data.message)}\n`);
      ws.close(1000);
    }
  });
  const ended = new Promise<number>((resolve) => {
    ws.on('error', (error) => io.stderr.write(`tail: ${error.message}\n`));
    ws.on('close', (code, reason) => {
      io.stderr.write(`tail: connection closed (${code} ${reason.toString()})\n`);
      resolve(1);
    });
  });
  return Promise.race([ended, io.interrupted.then(() => (ws.close(1000), 0))]);
}
