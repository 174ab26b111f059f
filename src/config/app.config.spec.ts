import { InvalidConfigError, validateEnv } from './app.config.js';

describe(validateEnv.name, () => {
  it('applies the SPEC defaults to an empty environment', () => {
    const env = validateEnv({});
    expect(env.PORT).toBe(3000);
    expect(env.STORAGE).toEqual(['file']);
    expect(env.WS_MAX_PAYLOAD).toBe(1_048_576);
  });

  it('names the variable and the bad value', () => {
    expect(() => validateEnv({ PORT: 'abc' })).toThrow(InvalidConfigError);
    expect(() => validateEnv({ PORT: 'abc' })).toThrow(/PORT="abc"/);
  });
});

describe('validateEnv strictness', () => {
  it.each([
    ['PORT', '0x50'],
    ['PORT', '1e3'],
    ['WS_MAX_PAYLOAD', '12'],
    ['STORAGE', 'file,bogus'],
    ['WS_MAX_INFLIGHT', '0'],
  ])('refuses %s=%s', (name, value) => {
    expect(() => validateEnv({ [name]: value })).toThrow(new RegExp(`${name}="${value}"`));
  });

  it('refuses a key listed twice without printing it', () => {
    // Act
    const act = () => validateEnv({ API_KEYS: 'a:same', READ_API_KEYS: 'b:same' });

    // Assert
    expect(act).toThrow(/listed more than once/);
    expect(act).not.toThrow(/same/);
  });

  it('redacts key lists when they are malformed', () => {
    expect(() => validateEnv({ API_KEYS: 'nocolon-secret' })).toThrow(/API_KEYS=<redacted>/);
  });
});
