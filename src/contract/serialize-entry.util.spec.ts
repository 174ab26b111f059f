import type { LogEntryDto } from './log-entry.dto.js';
import { serializeEntry } from './serialize-entry.util.js';

const RECEIVED_AT = '2026-01-21T10:30:00.123Z';
const SESSION = { user: 'alice', timestamp: '2026-01-21T10:00:00Z', ipaddress: '10.1.2.3' };
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const MINIMAL = {
  level: 'info',
  project: 'absences',
  system: 'frontend',
  module: 'M',
  action: 'a',
};
const FULL = {
  timestamp: '2026-01-21T11:30:00+01:00',
  correlationId: 'abc',
  ...MINIMAL,
  errorType: 'validation',
  errorCode: -422,
  errorMessage: 'bad "quote"\n\u2028 😀',
};

const serialize = (entry: object) => serializeEntry(entry as LogEntryDto, RECEIVED_AT, SESSION);

describe(serializeEntry.name, () => {
  it('writes every contract field in contract order, session last', () => {
    // Arrange
    const shuffled = Object.fromEntries(Object.entries(FULL).reverse());

    // Act
    const json = serialize(shuffled);

    // Assert
    expect(json).toBe(JSON.stringify({ ...FULL, activeSession: SESSION }));
    expect(Object.keys(JSON.parse(json))).toEqual([...Object.keys(FULL), 'activeSession']);
  });

  it('defaults timestamp to the receipt time and correlationId to a new UUID v4', () => {
    // Act
    const first = JSON.parse(serialize(MINIMAL));
    const second = JSON.parse(serialize(MINIMAL));

    // Assert
    expect(first.timestamp).toBe(RECEIVED_AT);
    expect(first.correlationId).toMatch(UUID_V4);
    expect(second.correlationId).not.toBe(first.correlationId);
  });

  it('omits absent and null optional fields but keeps an empty errorMessage and errorCode 0', () => {
    // Arrange
    const withNulls = { ...MINIMAL, timestamp: null, errorType: null, errorCode: null };
    const withFalsy = { ...MINIMAL, errorCode: 0, errorMessage: '' };

    // Act
    const omitted = JSON.parse(serialize(withNulls));
    const kept = JSON.parse(serialize(withFalsy));

    // Assert
    expect(Object.keys(omitted)).toEqual([
      'timestamp',
      'correlationId',
      ...Object.keys(MINIMAL),
      'activeSession',
    ]);
    expect(omitted.timestamp).toBe(RECEIVED_AT);
    expect(kept.errorCode).toBe(0);
    expect(kept.errorMessage).toBe('');
  });

  it('drops unknown fields and a client activeSession, and stamps the server session', () => {
    // Arrange
    const entry = { ...MINIMAL, url: 'https://x', activeSession: { user: 'mallory' } };

    // Act
    const json = serialize(entry);

    // Assert
    expect(json.endsWith(`,"activeSession":${JSON.stringify(SESSION)}}`)).toBe(true);
    expect(JSON.parse(json)).not.toHaveProperty('url');
    expect(JSON.parse(json).activeSession).toEqual(SESSION);
    expect(json).not.toContain('\n');
  });
});
