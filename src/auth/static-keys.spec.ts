import { matchStaticKey, parseStaticKeys } from './static-keys.js';

describe(parseStaticKeys.name, () => {
  it('gives service keys ingest and reader keys read + ingest', () => {
    // Act
    const keys = parseStaticKeys('svc:k1,other:k2', 'dash:r1');

    // Assert
    expect(keys.map((k) => [k.name, k.scopes])).toEqual([
      ['svc', ['ingest']],
      ['other', ['ingest']],
      ['dash', ['ingest', 'read']],
    ]);
  });

  it('keeps a colon inside the key', () => {
    // Arrange
    const keys = parseStaticKeys('svc:a:b');

    // Act
    const match = matchStaticKey(keys, 'a:b');

    // Assert
    expect(match?.name).toBe('svc');
  });
});

describe(matchStaticKey.name, () => {
  const keys = parseStaticKeys('svc:k1', 'dash:r1');

  it('finds the key by value, never by name', () => {
    expect(matchStaticKey(keys, 'r1')?.name).toBe('dash');
    expect(matchStaticKey(keys, 'svc')).toBeNull();
    expect(matchStaticKey(keys, 'k1x')).toBeNull();
  });
});
