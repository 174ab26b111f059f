import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { createPrincipal } from '../auth/principal.js';
import { RejectionLogger } from './rejection.logger.js';

const SESSION = { user: 'svc', timestamp: '2026-01-21T10:30:00Z', ipaddress: '10.0.0.1' };
const principal = (name: string) => createPrincipal(name, ['ingest'], SESSION, 'abcd1234');

describe(RejectionLogger.name, () => {
  let warn: jest.SpiedFunction<Logger['warn']>;

  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });

  afterEach(() => warn.mockRestore());

  it('logs once per key name per 10 s, then says how many it did not log', () => {
    // Arrange
    const log = new RejectionLogger();

    // Act
    log.note(principal('svc'), 1, 3, 'invalid entries', 0);
    log.note(principal('svc'), 2, 3, 'invalid entries', 5_000);
    log.note(principal('svc'), 2, 3, 'invalid entries', 9_999);
    log.note(principal('other'), 1, 1, 'invalid entries', 9_999);
    log.note(principal('svc'), 3, 3, 'invalid entries', 10_000);

    // Assert
    const lines = warn.mock.calls.map(([message]) => String(message));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toContain('key "svc" (abcd1234): 1 of 3 entries rejected');
    expect(lines[1]).toContain('key "other"');
    expect(lines[2]).toContain('(2 more rejecting requests not logged)');
  });

  it('quotes a hostile session user name, bounded', () => {
    // Act
    new RejectionLogger().note(principal(`evil\n${'x'.repeat(500)}`), 1, 1, 'invalid entries', 0);

    // Assert
    const [message] = warn.mock.calls[0];
    expect(String(message)).not.toContain('\n');
    expect(String(message).length).toBeLessThan(200);
  });
});
