import { jest } from '@jest/globals';
import { uniqueId } from '../support/entries.js';
import { runCli, startCli, startCliOnTty } from '../support/cli-process.js';
import { startRedis, stopAllRedis } from '../support/redis-server.js';
import {
  READER_KEY,
  SERVICE_KEY,
  startService,
  stopAllServices,
  type ServiceProcess,
} from '../support/service-process.js';
import { readStored, type StoredEntry } from '../support/stored.js';

/** SPEC §9 CLI against two real instances sharing a throwaway redis-server (tail across them). */

jest.setTimeout(60_000);

let a: ServiceProcess;
let b: ServiceProcess;

beforeAll(async () => {
  const redis = await startRedis();
  [a, b] = await Promise.all([
    startService({ env: { REDIS_URL: redis.url } }),
    startService({ env: { REDIS_URL: redis.url } }),
  ]);
});

afterAll(async () => {
  await stopAllServices();
  await stopAllRedis();
});

const key = ['--key', SERVICE_KEY.key];
const storedIn = async (s: ServiceProcess, project: string): Promise<StoredEntry[]> =>
  (await readStored(s.logDir)).filter((e) => e.project === project);
const ndjson = (...lines: unknown[]) => lines.map((l) => JSON.stringify(l)).join('\n') + '\n';

describe('logger-service send', () => {
  it('fills project/system from the flags, exits 0 once all are acked', async () => {
    const project = uniqueId('send');
    const input = ndjson(
      { level: 'info', module: 'M', action: 'one' },
      { level: 'error', module: 'M', action: 'two', system: 'own-system', errorCode: 7 },
    );

    const result = await runCli(
      ['send', '--url', a.wsUrl(), ...key, '--project', project, '--system', 'cli'],
      input,
    );

    expect(result.code).toBe(0);
    expect(result.stderr).toBe('accepted 2, rejected 0\n');
    const stored = await storedIn(a, project);
    expect(stored.map((e) => [e.action, e.system, e.errorCode])).toEqual([
      ['one', 'cli', undefined],
      ['two', 'own-system', 7],
    ]);
  });

  it('exits 1 and says why when an entry is rejected; takes the url and key from the env', async () => {
    const project = uniqueId('send-bad');
    const input = ndjson(
      { level: 'info', project, system: 's', module: 'M', action: 'good' },
      { level: 'loud', project, system: 's', module: 'M', action: 'bad' },
      { level: 'info', system: 's', module: 'M', action: 'no project' },
    );

    const result = await runCli(['send'], input, {
      LOGGER_URL: a.wsUrl(),
      LOGGER_API_KEY: SERVICE_KEY.key,
    });

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('accepted 1, rejected 2\n');
    expect(result.stderr).toContain('level must be one of: info, warning, error');
    expect(result.stderr).toMatch(/"field":"project"/);
    expect((await storedIn(a, project)).map((e) => e.action)).toEqual(['good']);
  });
});

describe('logger-service tail and generate across two instances', () => {
  it('tail on B prints, as NDJSON, exactly the matching entries generate sent to A', async () => {
    const project = uniqueId('gen');
    const tail = startCli(
      ['tail', '--url', b.wsUrl(), '--key', READER_KEY.key, '--json', '--project', project],
      undefined,
    );
    const errors = startCli(
      [
        'tail',
        '--url',
        b.wsUrl(),
        '--key',
        READER_KEY.key,
        '--project',
        project,
        '--level',
        'error',
      ],
      undefined,
    );
    await Promise.all([tail.waitForStderr('subscribed'), errors.waitForStderr('subscribed')]);

    const generated = await runCli(
      [
        'generate',
        '--url',
        a.wsUrl(),
        ...key,
        '--service',
        project,
        '--count',
        '300',
        '--rate',
        '2000',
      ],
      undefined,
    );
    const stored = await storedIn(a, project);
    const errorCount = stored.filter((e) => e.level === 'error').length;
    while (
      tail.stdout.split('\n').length <= 300 ||
      errors.stdout.split('\n').length <= errorCount
    ) {
      await new Promise((r) => setTimeout(r, 50));
    }
    tail.child.kill('SIGINT');
    errors.child.kill('SIGINT');

    expect(generated.code).toBe(0);
    expect(generated.stderr).toContain('generated 300: sent 300, acked 300, rejected 0');
    expect(stored).toHaveLength(300);
    expect((await tail.exited).code).toBe(0);
    const printed = tail.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as StoredEntry);
    expect(printed).toEqual(stored);
    // The readable form: one line an entry, no colours when stdout is not a terminal.
    const lines = errors.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(errorCount);
    expect(lines.every((l) => / ERROR {3}\S+\/\S+ \S+\.\S+/.test(l) && !l.includes('\x1b['))).toBe(
      true,
    );
  });

  it('generate makes request chains across systems, with weighted levels and real errors', async () => {
    const project = uniqueId('chains');

    const run = await runCli(
      [
        'generate',
        '--url',
        a.wsUrl(),
        ...key,
        '--service',
        project,
        '--count',
        '400',
        '--rate',
        '4000',
        '--level-weights',
        'info:50,warning:25,error:25',
      ],
      undefined,
    );
    const stored = await storedIn(a, project);

    expect(run.code).toBe(0);
    expect(stored).toHaveLength(400);
    const chains = new Map<string, StoredEntry[]>();
    for (const e of stored)
      chains.set(e.correlationId, [...(chains.get(e.correlationId) ?? []), e]);
    const longest = [...chains.values()].sort((x, y) => y.length - x.length)[0];
    expect(new Set(longest.map((e) => e.system)).size).toBeGreaterThan(1);
    expect(new Set(longest.map((e) => e.module)).size).toBe(longest.length);
    expect(new Set(stored.map((e) => e.level))).toEqual(new Set(['info', 'warning', 'error']));
    const failures = stored.filter((e) => e.level === 'error');
    expect(
      failures.every((e) => e.errorType && Number.isInteger(e.errorCode) && e.errorMessage),
    ).toBe(true);
    // An error ends its request: nothing of that chain comes after it.
    for (const e of failures) expect(chains.get(e.correlationId)!.at(-1)).toBe(e);
  });

  it('generate --interval-ms --duration stops by itself with everything it sent acked', async () => {
    const project = uniqueId('interval');

    const run = await runCli(
      [
        'generate',
        '--url',
        a.wsUrl(),
        ...key,
        '--service',
        project,
        '--interval-ms',
        '20',
        '--duration',
        '1',
      ],
      undefined,
    );

    expect(run.code).toBe(0);
    const generated = Number(
      /generated (\d+): sent \1, acked \1, rejected 0/.exec(run.stderr)?.[1],
    );
    expect(generated).toBeGreaterThan(0);
    expect(await storedIn(a, project)).toHaveLength(generated);
  });
});

describe('logger-service on a terminal', () => {
  it('tail prints one coloured line an entry; generate shows its progress line', async () => {
    const project = uniqueId('tty');
    const tail = startCliOnTty([
      'tail',
      '--url',
      b.wsUrl(),
      '--key',
      READER_KEY.key,
      '--project',
      project,
    ]);
    await tail.waitUntil(() => tail.stdout.includes('subscribed'), 'the subscription');

    const generate = startCliOnTty([
      'generate',
      '--url',
      a.wsUrl(),
      ...key,
      '--service',
      project,
      '--count',
      '300',
      '--rate',
      '150',
    ]);
    const generated = await generate.exited;
    const lines = () => tail.stdout.split('\n').filter((l) => l.includes(`${project}/`));
    await tail.waitUntil(() => lines().length >= 300, '300 tail lines');
    tail.child.kill('SIGKILL');

    expect(generated.code).toBe(0);
    // The progress line rewrites itself (\r) once a second while the entries go out.
    expect(generated.stdout).toMatch(/\rsent \d+ \(\d+\/s\) {2}acked \d+ \(\d+\/s\) {2}rejected 0/);
    expect(generated.stdout).toContain('generated 300: sent 300, acked 300, rejected 0');
    expect(lines()).toHaveLength(300);
    const coloured = ['\u001b[32mINFO', '\u001b[33mWARNING', '\u001b[31mERROR'];
    expect(lines().every((l) => coloured.some((c) => l.includes(c)))).toBe(true);
  });
});
