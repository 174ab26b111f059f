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

  it('reads a leap second as the instant after :59, and years 0000 and 10000 as instants', () => {
    expect(parseLogQuery({ from: '2026-06-30T23:59:60Z' }).from).toBe(
      Date.parse('2026-07-01T00:00:00Z'),
    );
    expect(parseLogQuery({ from: '2016-12-31T23:59:60.5+00:00' }).from).toBe(
      Date.parse('2017-01-01T00:00:00.500Z'),
    );
    expect(parseLogQuery({ from: '0000-01-01T00:00:00Z' }).from).toBe(-62167219200000);
    expect(parseLogQuery({ to: '9999-12-31T23:59:59-23:59' }).to).toBe(253402387139000);
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
