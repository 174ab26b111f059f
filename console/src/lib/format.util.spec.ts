import { describe, expect, it } from '@jest/globals';
import type { LogEntry } from './log-entry.js';
import { errorText, formatTime } from './format.util.js';

const entry = (fields: Partial<LogEntry>): LogEntry => ({
  timestamp: '2026-01-21T10:30:00.000Z',
  correlationId: 'c',
  level: 'error',
  project: 'p',
  system: 's',
  module: 'm',
  action: 'a',
  ...fields,
});

describe(errorText.name, () => {
  it('joins type, code and message, leaving out what is absent', () => {
    expect(errorText(entry({ errorType: 'db', errorCode: 500, errorMessage: 'down' }))).toBe(
      'db (500): down',
    );
    expect(errorText(entry({ errorCode: 0 }))).toBe('(0)');
    expect(errorText(entry({ errorMessage: 'x'.repeat(10) }), 4)).toBe('xxxx…');
    expect(errorText(entry({}))).toBe('');
  });
});

describe(formatTime.name, () => {
  it('shows text that is no Date as it is', () => {
    expect(formatTime('2026-01-21T25:99:00Z')).toBe('2026-01-21T25:99:00Z');
    expect(formatTime('2026-01-21T10:30:00.123Z')).toMatch(/\d\d:\d\d:\d\d.123/);
  });
});
