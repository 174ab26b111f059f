import { parseLogQuery } from './log-query.util.js';

describe(parseLogQuery.name, () => {
  it('takes every filter and applies the default limit', () => {
    expect(
      parseLogQuery({
        correlationId: 'c-1',
        project: 'absences',
        level: 'error',
        from: '2026-01-21T10:00:00Z',
        to: '2026-01-21T11:00:00+01:00',
      }),
    ).toEqual({
      correlationId: 'c-1',
      project: 'absences',
      level: 'error',
      from: Date.parse('2026-01-21T10:00:00Z'),
      to: Date.parse('2026-01-21T10:00:00Z'),
      limit: 100,
    });
  });

  it.each([
    [{ limit: '0' }, 'limit'],
    [{ limit: '1001' }, 'limit'],
    [{ limit: '10.5' }, 'limit'],
    [{ level: 'debug' }, 'level'],
    [{ from: 'yesterday' }, 'from'],
    [{ from: '2026-01-22T00:00:00Z', to: '2026-01-21T00:00:00Z' }, 'from'],
    [{ project: '' }, 'project'],
    [{ module: 'x'.repeat(129) }, 'module'],
    [{ system: ['a', 'b'] }, 'system'],
    [{ bogus: '1' }, 'bogus'],
  ])('refuses %j with 400 naming %s', (raw, name) => {
    expect(() => parseLogQuery(raw)).toThrow(
      expect.objectContaining({ status: 400, errors: [expect.objectContaining({ field: name })] }),
    );
  });

  it('accepts limit 1000', () => {
    expect(parseLogQuery({ limit: '1000' }).limit).toBe(1000);
  });
});

describe('parseLogQuery on hostile parameter names', () => {
  it('bounds and quotes an unknown name in the error', () => {
    // Arrange
    const name = `x\u0001${'y'.repeat(10_000)}`;

    // Act
    let error: { message: string; errors: { field: string; message: string }[] } | undefined;
    try {
      parseLogQuery({ [name]: '1' });
    } catch (e) {
      error = e as typeof error;
    }

    // Assert
    expect(error!.message.length).toBeLessThan(300);
    expect(error!.message).not.toContain('\u0001');
    expect(error!.errors[0].field.length).toBe(64);
    expect(error!.errors[0].message).not.toContain('\u0001');
  });
});
