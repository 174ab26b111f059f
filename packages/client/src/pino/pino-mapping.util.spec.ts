import { mapPinoRecord } from './pino-mapping.util.js';

const defaults = { project: 'shop', system: 'backend', module: 'app' };

describe(mapPinoRecord.name, () => {
  it.each([
    [10, 'info'],
    [20, 'info'],
    [30, 'info'],
    [40, 'warning'],
    [50, 'error'],
    [60, 'error'],
  ])('maps pino level %i to %s', (level, expected) => {
    expect(mapPinoRecord({ level, msg: 'm' }, defaults).level).toBe(expected);
  });

  it('maps msg, time, the module binding, err and correlationId (SPEC §9)', () => {
    const entry = mapPinoRecord(
      {
        level: 50,
        time: Date.UTC(2026, 0, 21, 10, 30),
        msg: 'charge failed',
        module: 'Billing',
        name: 'api',
        err: { type: 'TypeError', name: 'Ignored', message: 'boom', stack: 'at x' } as never,
        correlationId: 'c-1',
        reqId: 'r-1',
        extra: 'dropped',
      },
      defaults,
    );

    expect(entry).toEqual({
      level: 'error',
      project: 'shop',
      system: 'backend',
      module: 'Billing',
      action: 'charge failed',
      timestamp: '2026-01-21T10:30:00.000Z',
      correlationId: 'c-1',
      errorType: 'TypeError',
      errorMessage: 'boom',
    });
  });

  it('falls back: name for module, "log" for action, reqId for correlationId, err.name', () => {
    const entry = mapPinoRecord(
      { level: 30, name: 'api', reqId: 7, err: { name: 'RangeError', message: '' } },
      defaults,
    );

    expect(entry).toMatchObject({
      module: 'api',
      action: 'log',
      correlationId: '7',
      errorType: 'RangeError',
      errorMessage: '',
    });
  });

  it("uses the transport's module when the record names none", () => {
    expect(mapPinoRecord({ level: 30, msg: 'x' }, defaults).module).toBe('app');
  });

  it('cuts msg to 128 code points, never splitting a surrogate pair', () => {
    const msg = 'é'.repeat(100) + '😀'.repeat(100);

    const { action } = mapPinoRecord({ level: 30, msg }, defaults);

    expect(Array.from(action)).toHaveLength(128);
    expect(action.endsWith('😀')).toBe(true);
  });
});
