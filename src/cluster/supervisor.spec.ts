import { Supervisor, type SupervisorPolicy, type SupervisorPorts } from './supervisor.js';

const POLICY: SupervisorPolicy = {
  backoffMs: 100,
  maxBackoffMs: 1000,
  maxCrashes: 3,
  windowMs: 10_000,
  shutdownMs: 5000,
};

/** Ports that record what the supervisor did, with a hand-driven clock and timers. */
class FakePorts implements SupervisorPorts {
  readonly forks: number[] = [];
  readonly signals: [number, string][] = [];
  readonly logs: [string, string][] = [];
  exitCode: number | undefined;
  exits = 0;
  time = 0;
  private timers: { at: number; fn: () => void; live: boolean }[] = [];

  fork(index: number): void {
    this.forks.push(index);
  }
  signal(index: number, signal: NodeJS.Signals): void {
    this.signals.push([index, signal]);
  }
  exit(code: number): void {
    this.exitCode = code;
    this.exits++;
  }
  log(level: 'info' | 'warn' | 'error', message: string): void {
    this.logs.push([level, message]);
  }
  setTimer(fn: () => void, ms: number) {
    const timer = { at: this.time + ms, fn, live: true };
    this.timers.push(timer);
    return { cancel: () => (timer.live = false) };
  }
  now(): number {
    return this.time;
  }
  /** Moves the clock on, running the timers that come due. */
  advance(ms: number): void {
    this.time += ms;
    for (const timer of this.timers.filter((t) => t.live && t.at <= this.time)) {
      timer.live = false;
      timer.fn();
    }
  }
}

function started(count = 2) {
  const ports = new FakePorts();
  const supervisor = new Supervisor(count, POLICY, ports);
  supervisor.start();
  for (let i = 0; i < count; i++) supervisor.listening(i);
  return { ports, supervisor };
}

describe(Supervisor.name, () => {
  it('forks one worker per index', () => {
    const { ports } = started(3);
    expect(ports.forks).toEqual([0, 1, 2]);
  });

  it('restarts a crashed worker under its index after a backoff that doubles', () => {
    const { ports, supervisor } = started();

    supervisor.exited(1, null, 'SIGKILL');
    ports.advance(99);
    const early = [...ports.forks];
    ports.advance(1);
    supervisor.exited(1, 1, null);
    ports.advance(199);
    const beforeSecond = [...ports.forks];
    ports.advance(1);

    expect(early).toEqual([0, 1]);
    expect(beforeSecond).toEqual([0, 1, 1]);
    expect(ports.forks).toEqual([0, 1, 1, 1]);
    expect(ports.exits).toBe(0);
  });

  it('gives up loudly on a crash loop: the others drain and the primary exits 1', () => {
    const { ports, supervisor } = started();

    for (let i = 0; i < 3; i++) {
      supervisor.exited(0, 1, null);
      ports.advance(1000);
    }
    supervisor.exited(1, 0, null);

    expect(ports.logs.some(([level, m]) => level === 'error' && /crashed 3 times/.test(m))).toBe(
      true,
    );
    expect(ports.signals).toEqual([[1, 'SIGTERM']]);
    expect(ports.exitCode).toBe(1);
  });

  it('forgets crashes older than the window', () => {
    const { ports, supervisor } = started();

    for (let i = 0; i < 4; i++) {
      supervisor.exited(0, 1, null);
      ports.advance(POLICY.windowMs);
    }

    expect(ports.exits).toBe(0);
    expect(ports.forks.filter((i) => i === 0)).toHaveLength(5);
  });

  it('gives up at once on a worker that exits before it ever listened', () => {
    const ports = new FakePorts();
    const supervisor = new Supervisor(2, POLICY, ports);
    supervisor.start();
    supervisor.listening(1);

    supervisor.exited(0, 1, null);
    supervisor.exited(1, 0, null);

    expect(ports.forks).toEqual([0, 1]);
    expect(ports.exitCode).toBe(1);
  });

  it('on a signal stops every worker and exits 0 once all exited 0', () => {
    const { ports, supervisor } = started();

    supervisor.shutdown('SIGTERM');
    supervisor.shutdown('SIGINT');
    supervisor.exited(0, 0, null);
    const afterFirst = ports.exits;
    supervisor.exited(1, 0, null);

    expect(ports.signals).toEqual([
      [0, 'SIGTERM'],
      [1, 'SIGTERM'],
    ]);
    expect(afterFirst).toBe(0);
    expect(ports.exitCode).toBe(0);
    expect(ports.forks).toEqual([0, 1]);
  });

  it('exits 1 when a worker fails its drain', () => {
    const { ports, supervisor } = started();

    supervisor.shutdown('SIGTERM');
    supervisor.exited(0, 0, null);
    supervisor.exited(1, 1, null);

    expect(ports.exitCode).toBe(1);
  });

  it('does not restart a worker waiting for its backoff once draining', () => {
    const { ports, supervisor } = started();

    supervisor.exited(0, null, 'SIGKILL');
    supervisor.shutdown('SIGTERM');
    supervisor.exited(1, 0, null);
    ports.advance(10_000);

    expect(ports.forks).toEqual([0, 1]);
    expect(ports.exitCode).toBe(0);
  });

  it('kills workers that outlive the shutdown budget and exits 1', () => {
    const { ports, supervisor } = started();

    supervisor.shutdown('SIGTERM');
    supervisor.exited(0, 0, null);
    ports.advance(POLICY.shutdownMs + 1000);

    expect(ports.signals).toContainEqual([1, 'SIGKILL']);
    expect(ports.exitCode).toBe(1);
    expect(ports.exits).toBe(1);
  });
});

describe(`${Supervisor.name} draining a booting worker`, () => {
  it('exits 0 when a worker that never listened is ended by the signal', () => {
    const ports = new FakePorts();
    const supervisor = new Supervisor(2, POLICY, ports);
    supervisor.start();
    supervisor.listening(0);

    supervisor.shutdown('SIGINT');
    supervisor.exited(1, null, 'SIGTERM');
    supervisor.exited(0, 0, null);

    expect(ports.exitCode).toBe(0);
  });

  it('still fails a restarted worker that was serving and failed its drain', () => {
    const { ports, supervisor } = started();
    supervisor.exited(0, null, 'SIGKILL');
    ports.advance(100);
    supervisor.listening(0);

    supervisor.shutdown('SIGTERM');
    supervisor.exited(0, null, 'SIGTERM');
    supervisor.exited(1, 0, null);

    expect(ports.exitCode).toBe(1);
  });
});
