import { DomainError } from '../common/domain.error.js';
import { LogEntryPipe } from './log-entry.pipe.js';

const ENTRY = { level: 'info', project: 'p', system: 's', module: 'm', action: 'a', extra: 1 };

describe(LogEntryPipe.name, () => {
  it('returns the valid entry itself, not a copy', () => {
    // Arrange
    const pipe = new LogEntryPipe();

    // Act
    const result = pipe.transform(ENTRY);

    // Assert
    expect(result).toBe(ENTRY);
  });

  it('throws a 400 DomainError listing every failing field', () => {
    // Arrange
    const pipe = new LogEntryPipe();
    const entry = { ...ENTRY, level: 'debug', project: '' };

    // Act
    const act = () => pipe.transform(entry);

    // Assert
    expect(act).toThrow(DomainError);
    expect(act).toThrow(
      expect.objectContaining({
        status: 400,
        message: 'invalid log entry',
        errors: [
          { field: 'level', message: 'level must be one of: info, warning, error' },
          { field: 'project', message: 'project must be a string of 1..128 characters' },
        ],
      }),
    );
  });

  it('rejects a non-object entry', () => {
    // Arrange
    const pipe = new LogEntryPipe();

    // Act
    const act = () => pipe.transform([ENTRY]);

    // Assert
    expect(act).toThrow(
      expect.objectContaining({
        errors: [{ field: 'entry', message: 'entry must be a JSON object' }],
      }),
    );
  });
});
