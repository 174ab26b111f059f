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
