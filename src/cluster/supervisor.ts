/** What the supervisor does to the world; ClusterPrimary binds it to node:cluster, specs to fakes. */
export interface SupervisorPorts {
  /** Starts worker `index` (a first start or a restart). */
  fork(index: number): void;
  /** Sends `signal` to worker `index` if it runs. */
  signal(index: number, signal: NodeJS.Signals): void;
  /** Ends the primary. Called once. */
  exit(code: number): void;
  log(level: 'info' | 'warn' | 'error', message: string): void;
  setTimer(fn: () => void, ms: number): { cancel(): void };
  now(): number;
}

export interface SupervisorPolicy {
  /** First restart delay; it doubles with each recent crash of that worker, up to maxBackoffMs. */
  backoffMs: number;
  maxBackoffMs: number;
  /** This many crashes of one worker within windowMs is a crash loop: the primary gives up. */
  maxCrashes: number;
  windowMs: number;
  /** SHUTDOWN_TIMEOUT_MS: workers still running this long after the signal (+ grace) are killed. */
  shutdownMs: number;
}

export const DEFAULT_POLICY: Omit<SupervisorPolicy, 'shutdownMs'> = {
  backoffMs: 100,
  maxBackoffMs: 5000,
  maxCrashes: 5,
  windowMs: 60_000,
};

/** Past SHUTDOWN_TIMEOUT_MS, how long the primary still waits for workers' own exits. */
const EXIT_GRACE_MS = 1000;

/**
 * The primary's supervision logic, free of node:cluster: keeps `count` workers running, restarts
 * one that exits on its own (after a backoff, giving up loudly on a crash loop or on a worker that
 * never listened), and on a signal stops every worker (each runs its own SPEC §7 drain) and exits
 * 0 only when every one of them exited 0 within the shutdown budget.
 */
export class Supervisor {
  private readonly running = new Set<number>();
  /** Indexes whose worker listened at least once (a later exit is a crash, not a boot failure). */
  private readonly listened = new Set<number>();
  /** Indexes whose current worker listens: only those have connections to drain. */
  private readonly serving = new Set<number>();
  private readonly crashes = new Map<number, number[]>();
  private readonly restarts = new Map<number, { cancel(): void }>();
  private stopping: 'no' | 'drain' | 'give-up' = 'no';
  private failedExit = false;
  private finished = false;

  constructor(
    private readonly count: number,
    private readonly policy: SupervisorPolicy,
    private readonly ports: SupervisorPorts,
  ) {}

  start(): void {
    for (let i = 0; i < this.count; i++) this.forkWorker(i);
  }

  /** Worker `index` is serving (its server is listening). */
  listening(index: number): void {
    this.listened.add(index);
    this.serving.add(index);
  }

  exited(index: number, code: number | null, signal: string | null): void {
    this.running.delete(index);
    const served = this.serving.delete(index);
    if (this.stopping !== 'no') {
      // A worker still booting had nothing to drain: the signal's default action is no failure.
      if (code !== 0 && served) this.failedExit = true;
      return this.finishIfDone();
    }
    const how = signal ? `signal ${signal}` : `code ${code}`;
    if (!this.listened.has(index)) {
      // A worker that never served fails the same way again (port taken, bad disk): no loop.
      return this.giveUp(`worker ${index} exited with ${how} before it listened`);
    }
    const now = this.ports.now();
    const recent = (this.crashes.get(index) ?? []).filter((t) => now - t < this.policy.windowMs);
    recent.push(now);
    this.crashes.set(index, recent);
    if (recent.length >= this.policy.maxCrashes) {
      return this.giveUp(
        `worker ${index} crashed ${recent.length} times within ${this.policy.windowMs} ms (last: ${how}): giving up`,
      );
    }
    const delay = Math.min(
      this.policy.maxBackoffMs,
      this.policy.backoffMs * 2 ** (recent.length - 1),
    );
    this.ports.log('warn', `worker ${index} exited with ${how}; restarting it in ${delay} ms`);
    this.restarts.set(
      index,
      this.ports.setTimer(() => {
        this.restarts.delete(index);
        this.forkWorker(index);
      }, delay),
    );
  }

  /** SIGTERM/SIGINT: every worker drains; exit 0 once all exited 0. */
  shutdown(signal: NodeJS.Signals): void {
    if (this.stopping !== 'no') return;
    this.ports.log('info', `${signal}: draining ${this.running.size} workers`);
    this.stop('drain');
  }

  private giveUp(reason: string): void {
    this.ports.log('error', reason);
    this.stop('give-up');
  }

  private stop(how: 'drain' | 'give-up'): void {
    this.stopping = how;
    for (const timer of this.restarts.values()) timer.cancel();
    this.restarts.clear();
    for (const index of this.running) this.ports.signal(index, 'SIGTERM');
    this.ports.setTimer(() => {
      if (this.finished) return;
      this.ports.log(
        'error',
        `workers ${[...this.running].join(', ')} outlived the shutdown budget`,
      );
      for (const index of this.running) this.ports.signal(index, 'SIGKILL');
      this.finish(1);
    }, this.policy.shutdownMs + EXIT_GRACE_MS);
    this.finishIfDone();
  }

  private forkWorker(index: number): void {
    this.running.add(index);
    this.ports.fork(index);
  }

  private finishIfDone(): void {
    if (this.running.size > 0) return;
    this.finish(this.stopping === 'drain' && !this.failedExit ? 0 : 1);
  }

  private finish(code: number): void {
    if (this.finished) return;
    this.finished = true;
    this.ports.exit(code);
  }
}
