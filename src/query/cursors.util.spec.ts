import { DomainError } from '../common/domain.error.js';
import { decodePostgresCursor, encodePostgresCursor } from './postgres-cursor.util.js';
import { decodeRedisCursor, encodeRedisCursor } from './redis-cursor.util.js';

describe('reader cursors', () => {
  it('round-trip what their reader made', () => {
    const pgCursor = { ts: '2026-01-21 10:00:00.123456+00', id: '42' };
    expect(decodePostgresCursor(encodePostgresCursor(pgCursor))).toEqual(pgCursor);
    expect(decodePostgresCursor(encodePostgresCursor({ ts: null, id: '1' }))).toEqual({
      ts: null,
      id: '1',
    });
    expect(decodeRedisCursor(encodeRedisCursor('1700000000000-3'))).toBe('1700000000000-3');
  });

  it.each(['zzz', '', Buffer.from('["x\'; DROP",1]').toString('base64url'), 'a'.repeat(500)])(
    'refuse %j with a 400 naming cursor',
    (text) => {
      for (const decode of [decodePostgresCursor, decodeRedisCursor]) {
        let error: unknown;
        try {
          decode(text);
        } catch (e) {
          error = e;
        }
        expect((error as DomainError).errors?.[0].field).toBe('cursor');
      }
    },
  );
});
