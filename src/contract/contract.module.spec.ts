import { Global, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { EnvDto } from '../config/env.dto.js';
import { MetricsCoreModule } from '../metrics/metrics-core.module.js';
import { ContractModule } from './contract.module.js';
import { LogBatchPipe } from './log-batch.pipe.js';
import { LogRunPipe } from './log-run.pipe.js';

/** Stands in for the app's config module, which provides EnvDto globally. */
@Global()
@Module({
  providers: [{ provide: EnvDto, useValue: Object.assign(new EnvDto(), { BATCH_MAX_ENTRIES: 2 }) }],
  exports: [EnvDto],
})
class GlobalEnvModule {}

describe(ContractModule.name, () => {
  it('provides both pipes, the batch pipe configured from EnvDto', async () => {
    // Arrange
    const moduleRef = await Test.createTestingModule({
      imports: [GlobalEnvModule, MetricsCoreModule, ContractModule],
    }).compile();

    // Act
    const entryPipe = moduleRef.get(LogRunPipe);
    const batchPipe = moduleRef.get(LogBatchPipe);

    // Assert
    expect(entryPipe).toBeInstanceOf(LogRunPipe);
    expect(() => batchPipe.transform({ entries: [{}, {}, {}] })).toThrow(
      expect.objectContaining({
        errors: [{ field: 'entries', message: 'entries must be an array of 1..2 entries' }],
      }),
    );
    await moduleRef.close();
  });
});
