import { InvalidConfigError, validateEnv } from './app.config.js';
import { availableCpus } from './available-cpus.util.js';

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
    ['STORAGE', 'file,redis,file'],
    ['FSYNC', 'sometimes'],
    ['SPOOL_MAX_BYTES', '100'],
    ['BREAKER_FAILURES', '0'],
  ])('refuses %s=%s', (name, value) => {
    expect(() => validateEnv({ [name]: value })).toThrow(new RegExp(`${name}="${value}"`));
  });

  it('names STORAGE for a kind listed twice', () => {
    expect(() => validateEnv({ STORAGE: 'redis, redis', REDIS_URL: 'redis://h' })).toThrow(
      /STORAGE="redis, redis": STORAGE must not list a kind twice/,
    );
  });

  it.each([
    ['redis', 'REDIS_URL'],
    ['postgres', 'DATABASE_URL'],
    ['file,postgres', 'DATABASE_URL'],
  ])('requires the URL of a remote STORAGE=%s (%s)', (storage, name) => {
    expect(() => validateEnv({ STORAGE: storage })).toThrow(new RegExp(`${name}=<redacted>`));
  });

  it('accepts the storage settings and defaults FSYNC to never', () => {
    // Act
    const env = validateEnv({
      STORAGE: 'file,redis,postgres',
      REDIS_URL: 'redis://127.0.0.1:6390',
      DATABASE_URL: 'postgres://u@h/db',
      FSYNC: 'always',
    });

    // Assert
    expect(env.STORAGE).toEqual(['file', 'redis', 'postgres']);
    expect(env.FSYNC).toBe('always');
    expect(validateEnv({}).FSYNC).toBe('never');
    expect(validateEnv({}).PG_POOL_SIZE).toBe(4);
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

describe('validateEnv WORKERS', () => {
  it('is 1 by default: one process, as before', () => {
    expect(validateEnv({}).WORKERS).toBe(1);
  });

  it('takes a positive integer, and auto as every available core', () => {
    expect(validateEnv({ WORKERS: '3' }).WORKERS).toBe(3);
    expect(validateEnv({ WORKERS: ' Auto ' }).WORKERS).toBe(availableCpus());
  });

  it.each(['0', '-2', '1.5', 'many', '0x2'])('refuses WORKERS=%s, naming it', (value) => {
    expect(() => validateEnv({ WORKERS: value })).toThrow(
      new RegExp(`WORKERS="${value}": .*positive integer or auto`),
    );
  });
});
