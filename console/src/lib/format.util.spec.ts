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
  it('shows HH:mm:ss.SSS in the viewer’s zone, and text that is no Date as it is', () => {
    expect(formatTime('2026-01-21T25:99:00Z')).toBe('2026-01-21T25:99:00Z');
    expect(formatTime('2026-01-21T10:30:00.123Z')).toMatch(/^\d\d:\d\d:00\.123$/);
    expect(formatTime('2026-01-21T10:30:00.004Z')).toMatch(/^\d\d:\d\d:00\.004$/);
    expect(formatTime('2026-01-21T10:30:01Z')).toMatch(/^\d\d:\d\d:01\.000$/);
    expect(formatTime('1969-12-31T23:59:59.250Z')).toMatch(/^\d\d:\d\d:59\.250$/);
  });
});
