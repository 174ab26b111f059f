import { IngestCounters } from '../metrics/ingest.counters.js';
import { LogRunPipe } from './log-run.pipe.js';

const ENTRY = { level: 'info', project: 'p', system: 's', module: 'm', action: 'a', extra: 1 };

describe(LogRunPipe.name, () => {
  it('keeps the valid entries themselves, in order, and reports the others by index', () => {
    // Arrange
    const pipe = new LogRunPipe(new IngestCounters());
    const second = { ...ENTRY, module: 'n' };
    const run = [ENTRY, { ...ENTRY, level: 'debug', project: '' }, second, 'not an entry'];

    // Act
    const checked = pipe.transform(run);

    // Assert
    expect(checked.entries).toEqual([ENTRY, second]);
    expect(checked.entries[0]).toBe(ENTRY);
    expect(checked.rejected).toEqual([
      {
        index: 1,
        errors: [
          { field: 'level', message: 'level must be one of: info, warning, error' },
          { field: 'project', message: 'project must be a string of 1..128 characters' },
        ],
      },
      { index: 3, errors: [{ field: 'entry', message: 'entry must be a JSON object' }] },
    ]);
  });

  it('accepts a run of one entry', () => {
    expect(new LogRunPipe(new IngestCounters()).transform([ENTRY])).toEqual({
      entries: [ENTRY],
      rejected: [],
    });
  });
});
