import { Global, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EnvDto } from '../config/env.dto.js';
import { JsonlFileSink } from './sinks/jsonl-file.sink.js';
import { MeasuredSink } from './sinks/measured.sink.js';
import { StorageMetrics } from './storage-metrics.js';
import { LOG_SINK } from './storage.constants.js';
import { StorageModule } from './storage.module.js';
import { StorageService } from './storage.service.js';

describe(StorageModule.name, () => {
  let root: string;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'storage-module-'));
  });

  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('wires the configured file sink behind StorageService', async () => {
    // Arrange: stands in for the app's global config module
    const env = Object.assign(new EnvDto(), { LOG_DIR: join(root, 'logs') });
    @Global()
    @Module({ providers: [{ provide: EnvDto, useValue: env }], exports: [EnvDto] })
    class FakeConfigModule {}
    const app = await Test.createTestingModule({
      imports: [FakeConfigModule, StorageModule],
    }).compile();

    // Act
    await app.get(StorageService).store('2026-01-21', ['{"a":1}']);
    await app.close();

    // Assert
    expect(app.get(LOG_SINK)).toBeInstanceOf(MeasuredSink);
    expect(app.get(LOG_SINK).inner).toBeInstanceOf(JsonlFileSink);
    expect(app.get(StorageMetrics).for('file').stored).toBe(1);
    expect(readFileSync(join(root, 'logs', '2026-01-21.jsonl'), 'utf8')).toBe('{"a":1}\n');
  });
});
