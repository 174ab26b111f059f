import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port.js';
import { httpGet } from './http-get.js';

/**
 * The built service (`npm run build`): e2e specs test exactly what `npm start` runs.
 * E2E_SERVICE_MAIN points them at another build (a baseline, a deliberately broken copy).
 */
const MAIN =
  process.env.E2E_SERVICE_MAIN ?? fileURLToPath(new URL('../../dist/main.js', import.meta.url));

/** Static keys every spawned service knows (SPEC §2): an ingest-only key and a reader key. */
export const SERVICE_KEY = { name: 'svc-e2e', key: 'svc-key-0123456789abcdef' } as const;
export const READER_KEY = { name: 'reader-e2e', key: 'reader-key-0123456789abcdef' } as const;

export interface ExitResult {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ServiceOptions {
  /** Overrides of the defaults below; `undefined` removes a variable. */
  env?: Record<string, string | undefined>;
  /** How long to wait for `GET /health/live` to answer 200 (startService only). */
  liveTimeoutMs?: number;
  /** Another entry point than the build's dist/main.js (a copy of the bundle, say). */
  main?: string;
  /** Node options before the entry point, e.g. `--enable-source-maps`. */
  nodeArgs?: string[];
}

const MAX_CAPTURE = 1 << 20;
const running = new Set<ServiceProcess>();

/** One `node dist/main.js` child with its own temporary LOG_DIR and SPOOL_DIR. */
export class ServiceProcess {
  readonly exited: Promise<ExitResult>;
  private exit: ExitResult | undefined;
  private err = '';
  private out = '';

  constructor(
    readonly child: ChildProcess,
    readonly port: number,
    readonly baseDir: string,
    readonly env: Readonly<Record<string, string>>,
  ) {
    child.stderr?.setEncoding('utf8').on('data', (s: string) => (this.err = keepTail(this.err, s)));
    child.stdout?.setEncoding('utf8').on('data', (s: string) => (this.out = keepTail(this.out, s)));
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => resolve((this.exit = { code, signal })));
      child.once('error', () => resolve((this.exit = { code: null, signal: null })));
    });
  }

  get logDir(): string {
    return this.env.LOG_DIR;
  }

  get httpUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  wsUrl(path = this.env.WS_PATH ?? '/ws'): string {
    return `ws://127.0.0.1:${this.port}${path}`;
  }

  get stderr(): string {
    return this.err;
  }

  get stdout(): string {
    return this.out;
  }

  get isRunning(): boolean {
    return this.exit === undefined;
  }

  /** Sends `signal` and waits for the exit; SIGKILLs and throws if it takes over `timeoutMs`. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 15_000): Promise<ExitResult> {
    if (this.exit) return this.exit;
    this.child.kill(signal);
    return this.waitForExit(timeoutMs, signal);
  }

  /** Resolves with the exit; SIGKILLs and throws if the process still runs after `timeoutMs`. */
  async waitForExit(timeoutMs: number, after = 'start'): Promise<ExitResult> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<null>(
      (resolve) => (timer = setTimeout(() => resolve(null), timeoutMs)),
    );
    const result = await Promise.race([this.exited, late]);
    clearTimeout(timer);
    if (result) return result;
    await this.kill9();
    throw new Error(`service did not exit within ${timeoutMs} ms of ${after}\n${this.err}`);
  }

  kill9(): Promise<ExitResult> {
    if (!this.exit) this.child.kill('SIGKILL');
    return this.exited;
  }

  /** Kills the process if it still runs and deletes its directories. Idempotent. */
  async cleanup(): Promise<void> {
    await this.kill9();
    running.delete(this);
    await rm(this.baseDir, { recursive: true, force: true });
  }

  async waitUntilLive(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.isRunning) {
        throw new Error(
          `service exited ${JSON.stringify(this.exit)} before it was live\n${this.err}`,
        );
      }
      const res = await httpGet(`${this.httpUrl}/health/live`, 1000).catch(() => undefined);
      if (res?.status === 200) return;
      await sleep(50);
    }
    throw new Error(`service not live within ${timeoutMs} ms\n${this.err}`);
  }
}

/** Spawns the service without waiting for it (for a process expected to exit at boot). */
export async function spawnService(options: ServiceOptions = {}): Promise<ServiceProcess> {
  const main = options.main ?? MAIN;
  if (!existsSync(main)) throw new Error(`${main} is missing: run \`npm run build\` first`);
  const baseDir = await mkdtemp(join(tmpdir(), 'logger-e2e-'));
  const port = options.env?.PORT ?? String(await freePort());
  const env = definedOnly({
    PATH: process.env.PATH,
    PORT: port,
    HOST: '127.0.0.1',
    WS_PATH: '/ws',
    STORAGE: 'file',
    LOG_DIR: join(baseDir, 'logs'),
    SPOOL_DIR: join(baseDir, 'spool'),
    API_KEYS: `${SERVICE_KEY.name}:${SERVICE_KEY.key}`,
    READ_API_KEYS: `${READER_KEY.name}:${READER_KEY.key}`,
    LOG_LEVEL: 'warn',
    // The cross-process specs run once more with E2E_WORKERS=2 (scripts/test.sh): a cluster.
    WORKERS: process.env.E2E_WORKERS,
    ...options.env,
  });
  // cwd is the temp dir so that no .env of the working tree leaks into the service's config.
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), main], {
    cwd: baseDir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const service = new ServiceProcess(child, Number(port), baseDir, env);
  running.add(service);
  return service;
}

/** Spawns the service and resolves once `GET /health/live` answers 200. */
export async function startService(options: ServiceOptions = {}): Promise<ServiceProcess> {
  // A cluster (E2E_WORKERS) boots its workers side by side on a busy CI machine.
  const timeoutMs = options.liveTimeoutMs ?? (process.env.E2E_WORKERS ? 30_000 : 15_000);
  for (let attempt = 1; ; attempt++) {
    const service = await spawnService(options);
    try {
      await service.waitUntilLive(timeoutMs);
      return service;
    } catch (error) {
      await service.cleanup();
      // The free port was taken by someone else between freePort() and the bind: ask again.
      const portRace = options.env?.PORT === undefined && service.stderr.includes('EADDRINUSE');
      if (!portRace || attempt >= 3) throw error;
    }
  }
}

/** For afterAll/afterEach: no service outlives its spec file. */
export async function stopAllServices(): Promise<void> {
  await Promise.all([...running].map((s) => s.cleanup()));
}

function keepTail(text: string, more: string): string {
  const all = text + more;
  return all.length > MAX_CAPTURE ? all.slice(-MAX_CAPTURE) : all;
}

function definedOnly(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v;
  return out;
}
