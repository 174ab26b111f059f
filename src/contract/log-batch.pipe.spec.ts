import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { DomainError } from '../common/domain.error.js';
import { EnvDto } from '../config/env.dto.js';
import { IngestCounters } from '../metrics/ingest.counters.js';
import { LogBatchDto } from './log-batch.dto.js';
import { LogBatchPipe } from './log-batch.pipe.js';

const ENTRY = { level: 'info', project: 'p', system: 's', module: 'm', action: 'a' };

const pipeWithMax = (max: number) =>
  new LogBatchPipe(Object.assign(new EnvDto(), { BATCH_MAX_ENTRIES: max }), new IngestCounters());

/** The fields the pipe refuses a frame for ([] when it accepts the frame). */
function pipeFields(pipe: LogBatchPipe, data: unknown): string[] {
  try {
    pipe.transform(data);
    return [];
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return (error.errors ?? []).map((e) => e.field);
  }
}

const dtoFields = (data: object) =>
  validateSync(plainToInstance(LogBatchDto, data)).map((e) => e.property);

describe(LogBatchPipe.name, () => {
  it.each([
    [{ entries: [ENTRY] }, []],
    [{ seq: 0, entries: [ENTRY] }, []],
    [{ seq: 17, entries: [ENTRY, {}] }, []],
    [{ seq: Number.MAX_SAFE_INTEGER, entries: [ENTRY] }, []],
    [{ seq: null, entries: [ENTRY] }, []],
    [{ seq: -1, entries: [ENTRY] }, ['seq']],
    [{ seq: 1.5, entries: [ENTRY] }, ['seq']],
    [{ seq: '17', entries: [ENTRY] }, ['seq']],
    [{ seq: 2 ** 53, entries: [ENTRY] }, ['seq']],
    [{ seq: 1, entries: [] }, ['entries']],
    [{ seq: 1 }, ['entries']],
    [{ entries: 'x' }, ['entries']],
    [{ entries: { 0: ENTRY, length: 1 } }, ['entries']],
    [{ seq: 'x', entries: null }, ['seq', 'entries']],
  ])('agrees with LogBatchDto on %j', (data, fields) => {
    // Arrange
    const pipe = pipeWithMax(5);

    // Act
    const byPipe = pipeFields(pipe, data);
    const byDto = dtoFields(data);

    // Assert
    expect(byPipe).toEqual(fields);
    expect(byDto).toEqual(fields);
  });

  it.each([[null], [[ENTRY]], [42], ['{"entries":[]}']])('refuses data %j', (data) => {
    // Arrange
    const pipe = pipeWithMax(5);

    // Act
    const act = () => pipe.transform(data);

    // Assert
    expect(act).toThrow(DomainError);
    expect(act).toThrow(
      expect.objectContaining({
        status: 400,
        message: 'invalid batch',
        errors: [{ field: 'entries', message: 'entries must be an array of 1..5 entries' }],
      }),
    );
  });

  it('refuses more than BATCH_MAX_ENTRIES entries', () => {
    // Arrange
    const pipe = pipeWithMax(3);

    // Act
    const act = () => pipe.transform({ entries: [ENTRY, ENTRY, ENTRY, ENTRY] });

    // Assert
    expect(act).toThrow(
      expect.objectContaining({
        message: 'invalid batch',
        errors: [{ field: 'entries', message: 'entries must be an array of 1..3 entries' }],
      }),
    );
    expect(pipe.transform({ entries: [ENTRY, ENTRY, ENTRY] }).entries).toHaveLength(3);
  });

  it('keeps valid entries as they are and reports invalid ones by index', () => {
    // Arrange
    const pipe = pipeWithMax(10);
    const second = { ...ENTRY, level: 'warning' };

    // Act
    const batch = pipe.transform({
      seq: 17,
      entries: [ENTRY, null, second, { ...ENTRY, level: 1 }],
    });

    // Assert
    expect(batch.seq).toBe(17);
    expect(batch.entries).toHaveLength(2);
    expect(batch.entries[0]).toBe(ENTRY);
    expect(batch.entries[1]).toBe(second);
    expect(batch.rejected).toEqual([
      { index: 1, errors: [{ field: 'entry', message: 'entry must be a JSON object' }] },
      {
        index: 3,
        errors: [{ field: 'level', message: 'level must be one of: info, warning, error' }],
      },
    ]);
  });

  it('turns an absent or null seq into undefined', () => {
    // Arrange
    const pipe = pipeWithMax(10);

    // Act
    const absent = pipe.transform({ entries: [ENTRY] });
    const nulled = pipe.transform({ seq: null, entries: [ENTRY] });

    // Assert
    expect(absent.seq).toBeUndefined();
    expect(nulled.seq).toBeUndefined();
  });
});
