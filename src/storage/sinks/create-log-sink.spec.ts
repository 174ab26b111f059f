import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EnvDto, type StorageKind } from '../../config/env.dto.js';
import { createConfiguredLogSink, createLogSink } from './create-log-sink.js';
import { JsonlFileSink } from './jsonl-file.sink.js';

describe(createLogSink.name, () => {
  let root: string;
  let env: EnvDto;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'create-log-sink-'));
    env = Object.assign(new EnvDto(), { LOG_DIR: join(root, 'logs') });
  });

  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('builds a JsonlFileSink for file', async () => {
    // Act
    const sink = createLogSink('file', env);

    // Assert
    expect(sink).toBeInstanceOf(JsonlFileSink);
    expect(sink.kind).toBe('file');
    await sink.close();
  });

  it.each(['redis', 'postgres'] as const)('throws for %s, not implemented yet', (kind) => {
    expect(() => createLogSink(kind, env)).toThrow(`STORAGE=${kind} is not implemented yet`);
  });

  it('throws for an unknown kind', () => {
    expect(() => createLogSink('s3' as StorageKind, env)).toThrow(/unknown STORAGE kind "s3"/);
  });
});

describe(createConfiguredLogSink.name, () => {
  let root: string;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'create-log-sink-'));
  });

  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const envWith = (STORAGE: StorageKind[]) =>
    Object.assign(new EnvDto(), { STORAGE, LOG_DIR: join(root, 'logs') });

  it('builds the single configured kind', async () => {
    // Act
    const sink = createConfiguredLogSink(envWith(['file']));

    // Assert
    expect(sink).toBeInstanceOf(JsonlFileSink);
    await sink.close();
  });

  it('throws for more than one kind', () => {
    expect(() => createConfiguredLogSink(envWith(['file', 'redis']))).toThrow(
      'STORAGE lists more than one kind; fan-out is not implemented yet',
    );
  });

  it('throws for no kind', () => {
    expect(() => createConfiguredLogSink(envWith([]))).toThrow(/no kind/);
  });
});
