#!/usr/bin/env node
import { UsageError } from './cli-options.util.js';
import { generateCommand } from './generate.command.js';
import { sendCommand } from './send.command.js';
import { tailCommand } from './tail.command.js';

const USAGE = `usage: logger-service <send|tail|generate> [options]
  common:   --url ws://host:3000/ws (repeat or comma-separate for several; env LOGGER_URL)
            --key KEY (env LOGGER_API_KEY)  --max-retries N (10)
  send      NDJSON entries on stdin; --project P --system S fill what a line leaves out;
            exit 0 once all are acked, 1 if any was rejected, 2 if they could not be delivered
  tail      reader key; --level --project --system --module --correlation-id; --json for NDJSON
  generate  --rate N (100) | --interval-ms N; --service NAME; --level-weights info:70,warning:20,error:10;
            --count N; --duration SECONDS; exits once everything sent is acked`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const interrupted = new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
  const io = { env: process.env, stderr: process.stderr, interrupted };
  switch (command) {
    case 'send':
      return sendCommand(rest, { ...io, stdin: process.stdin });
    case 'tail':
      return tailCommand(rest, { ...io, stdout: process.stdout });
    case 'generate':
      return generateCommand(rest, io);
    default:
      throw new UsageError(command ? `unknown command "${command}"` : 'no command given');
  }
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    const usage = error instanceof UsageError;
    process.stderr.write(
      `logger-service: ${(error as Error).message}\n${usage ? USAGE + '\n' : ''}`,
    );
    process.exitCode = 2;
  },
);
