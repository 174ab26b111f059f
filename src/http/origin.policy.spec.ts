import { normalizeOrigin, OriginPolicy } from './origin.policy.js';

describe(OriginPolicy.name, () => {
  const policy = new OriginPolicy(['https://app.example.com', 'http://localhost:8080']);

  it.each([
    [undefined, 'logs.example.com', 'none'],
    ['https://app.example.com', 'logs.example.com', 'listed'],
    ['HTTPS://APP.example.com:443', 'logs.example.com', 'listed'],
    ['http://localhost:8080', 'logs.example.com', 'listed'],
    ['http://localhost:8081', 'logs.example.com', 'refused'],
    ['http://app.example.com', 'logs.example.com', 'refused'],
    ['https://evil.example.com', 'logs.example.com', 'refused'],
    ['null', 'logs.example.com', 'refused'],
    ['not a url', 'logs.example.com', 'refused'],
    ['http://logs.example.com:3000', 'logs.example.com:3000', 'same'],
    ['https://logs.example.com', 'logs.example.com:443', 'same'],
    ['http://logs.example.com:3000', 'logs.example.com:3001', 'refused'],
    ['http://logs.example.com', 'logs.example.com/x', 'refused'],
    [['https://app.example.com', 'https://app.example.com'], 'h', 'refused'],
  ])('Origin %j with Host %j is %s', (origin, host, verdict) => {
    expect(policy.judge(origin, host)).toBe(verdict);
  });

  it('lets every origin through when ALLOWED_ORIGINS is unset', () => {
    const open = new OriginPolicy(undefined);
    expect(open.judge('https://anything.example', 'logs')).toBe('listed');
    expect(open.judge(undefined, 'logs')).toBe('none');
  });
});

describe(normalizeOrigin.name, () => {
  it('lowercases and drops default ports; leaves non-http origins as they are', () => {
    expect(normalizeOrigin('HTTP://Example.COM:80')).toBe('http://example.com');
    expect(normalizeOrigin('https://example.com:8443')).toBe('https://example.com:8443');
    expect(normalizeOrigin('null')).toBe('null');
    expect(normalizeOrigin('file:///etc')).toBe('file:///etc');
  });
});
