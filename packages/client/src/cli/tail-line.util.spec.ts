import { formatTailLine } from './tail-line.util.js';

const entry = {
  timestamp: '2026-01-21T10:30:00.123Z',
  correlationId: 'c-1',
  level: 'error',
  project: 'absences',
  system: 'backend',
  module: 'AddCompanies',
  action: 'saveHandler',
  errorType: 'unauth',
  errorCode: 401,
  errorMessage: 'session expired',
};

describe(formatTailLine.name, () => {
  it('prints one plain line without colours', () => {
    expect(formatTailLine(entry, false)).toBe(
      '10:30:00.123 ERROR   absences/backend AddCompanies.saveHandler [c-1] unauth 401: session expired',
    );
  });

  it('colours the level by severity on a terminal', () => {
    const line = formatTailLine({ ...entry, level: 'warning' }, true);

    expect(line).toContain('\x1b[33mWARNING');
    expect(line).toContain('\x1b[0m');
  });
});
