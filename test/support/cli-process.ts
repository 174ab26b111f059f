import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built CLI of packages/client (`npm run build` builds it with the service). */
export const CLI = fileURLToPath(
  new URL('../../packages/client/dist/cli/main.js', import.meta.url),
);

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A running `logger-service` command whose output is collected as it comes. */
export class CliProcess {
  stdout = '';
  stderr = '';
  readonly exited: Promise<CliResult>;

  constructor(readonly child: ChildProcess) {
    child.stdout?.setEncoding('utf8').on('data', (s: string) => (this.stdout += s));
    child.stderr?.setEncoding('utf8').on('data', (s: string) => (this.stderr += s));
    this.exited = new Promise((resolve) =>
      child.once('exit', (code) => resolve({ code, stdout: this.stdout, stderr: this.stderr })),
    );
  }

  /** Resolves once stderr contains `text`; rejects if the process exits first or on timeout. */
  waitForStderr(text: string, timeoutMs = 10_000): Promise<void> {
    return this.waitUntil(() => this.stderr.includes(text), `"${text}" on stderr`, timeoutMs);
  }

  /** Resolves once `condition` holds; rejects if the process exits first or on timeout. */
  async waitUntil(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (this.child.exitCode !== null || Date.now() > deadline) {
        throw new Error(
          `no ${what} (exit ${this.child.exitCode}):\n${this.stdout}\n${this.stderr}`,
        );
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

/** Starts `logger-service ARGS`; `stdin` (if given) is written and closed. */
export function startCli(args: string[], stdin?: string, env: NodeJS.ProcessEnv = {}): CliProcess {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdin?.end(stdin ?? '');
  return new CliProcess(child);
}

/** Runs `logger-service ARGS` to its exit. */
export function runCli(
  args: string[],
  stdin?: string,
  env?: NodeJS.ProcessEnv,
): Promise<CliResult> {
  return startCli(args, stdin, env).exited;
}

/**
 * Runs `logger-service ARGS` on a pseudo-terminal (util-linux `script`, in Debian's essential
 * bsdutils), as a person at a terminal would: stdout and stderr are one stream, the tty's.
 */
export function startCliOnTty(args: string[], env: NodeJS.ProcessEnv = {}): CliProcess {
  const command = [process.execPath, CLI, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`);
  const child = spawn('script', ['-qefc', command.join(' '), '/dev/null'], {
    env: { PATH: process.env.PATH, TERM: 'xterm', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  return new CliProcess(child);
}
