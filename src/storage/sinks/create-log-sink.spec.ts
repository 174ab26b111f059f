import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateEnv } from '../../config/app.config.js';
import { EnvDto, type StorageKind } from '../../config/env.dto.js';
import { GuardedSink } from '../guard/guarded.sink.js';
import { StorageMetrics } from '../storage-metrics.js';
import { createConfiguredLogSink, createLogSink } from './create-log-sink.js';
import { FanOutSink } from './fan-out.sink.js';
import { JsonlFileSink } from './jsonl-file.sink.js';
import { MeasuredSink } from './measured.sink.js';
import { PostgresSink } from './postgres.sink.js';
import { RedisStreamSink } from './redis-stream.sink.js';

// Nothing listens on port 1: the remote sinks are built, never reached (boot does not wait).
const REDIS_URL = 'redis://127.0.0.1:1';
const DATABASE_URL = 'postgres://nobody@127.0.0.1:1/none';

describe(createLogSink.name, () => {
  let root: string;
  let env: EnvDto;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'create-log-sink-'));
    env = validateEnv({ LOG_DIR: join(root, 'logs'), REDIS_URL, DATABASE_URL });
  });

  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it.each([
    ['file', JsonlFileSink],
    ['redis', RedisStreamSink],
    ['postgres', PostgresSink],
  ] as const)('builds the %s sink', async (kind, type) => {
    // Act
    const sink = await createLogSink(kind, env);

    // Assert
    expect(sink).toBeInstanceOf(type);
    expect(sink.kind).toBe(kind);
    await sink.close();
  });

  it('throws for an unknown kind', async () => {
    await expect(createLogSink('s3' as StorageKind, env)).rejects.toThrow(
      /unknown STORAGE kind "s3"/,
    );
  });
});

describe(createConfiguredLogSink.name, () => {
  let root: string;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'create-log-sink-'));
  });

  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const envWith = (STORAGE: string) =>
    validateEnv({
      STORAGE,
      LOG_DIR: join(root, 'logs'),
      SPOOL_DIR: join(root, 'spool'),
      REDIS_URL,
      DATABASE_URL,
    });

  it('builds file alone without breaker or spool', async () => {
    // Act
    const sink = await createConfiguredLogSink(envWith('file'), new StorageMetrics());

    // Assert
    expect(sink).toBeInstanceOf(MeasuredSink);
    expect((sink as MeasuredSink).inner).toBeInstanceOf(JsonlFileSink);
    await sink.close();
  });

  it('puts redis behind a GuardedSink with its spool under SPOOL_DIR/redis', async () => {
    // Act
    const sink = await createConfiguredLogSink(envWith('redis'), new StorageMetrics());

    // Assert
    expect(sink).toBeInstanceOf(GuardedSink);
    expect(sink.kind).toBe('redis');
    expect((sink as GuardedSink)['spool'].dir).toBe(join(root, 'spool', 'redis'));
    await sink.close();
  });

  it('fans out to every listed kind, in order, with one metrics entry each', async () => {
    // Arrange
    const metrics = new StorageMetrics();

    // Act
    const sink = await createConfiguredLogSink(envWith('file,redis,postgres'), metrics);

    // Assert
    expect(sink).toBeInstanceOf(FanOutSink);
    const kinds = (sink as FanOutSink).sinks.map((s) => [s.kind, s.constructor.name]);
    expect(kinds).toEqual([
      ['file', MeasuredSink.name],
      ['redis', GuardedSink.name],
      ['postgres', GuardedSink.name],
    ]);
    expect(metrics.all().map((m) => m.sink)).toEqual(['file', 'redis', 'postgres']);
    await sink.close();
  });

  it('throws for a kind listed twice, naming STORAGE', async () => {
    const env = Object.assign(new EnvDto(), { STORAGE: ['file', 'file'] });
    await expect(createConfiguredLogSink(env, new StorageMetrics())).rejects.toThrow(
      'STORAGE=file,file lists a kind twice',
    );
  });

  it('throws for no kind', async () => {
    const env = Object.assign(new EnvDto(), { STORAGE: [] });
    await expect(createConfiguredLogSink(env, new StorageMetrics())).rejects.toThrow(/no kind/);
  });
});
