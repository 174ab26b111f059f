import { resolveOptions } from './logger-options.js';

const base = { url: 'ws://h:1/ws', apiKey: 'k', project: 'p', system: 's' };

describe(resolveOptions.name, () => {
  it('fills in the SPEC §9 defaults', () => {
    expect(resolveOptions(base)).toEqual({
      urls: ['ws://h:1/ws'],
      apiKey: 'k',
      project: 'p',
      system: 's',
      producerId: undefined,
      batchSize: 100,
      lingerMs: 50,
      maxBuffered: 10_000,
      onFull: 'drop-oldest',
      minDelayMs: 100,
      maxDelayMs: 10_000,
      maxRetries: Infinity,
    });
  });

  it.each([
    [{ url: [] }, /url/],
    [{ url: 'http://h/ws' }, /url/],
    [{ apiKey: '' }, /apiKey/],
    [{ producerId: 'has space' }, /producerId/],
    [{ batchSize: 0 }, /batchSize/],
    [{ onFull: 'wait' }, /onFull/],
    [{ reconnect: { maxRetries: 0 } }, /maxRetries/],
    [{ reconnect: { minDelayMs: -1 } }, /minDelayMs/],
  ])('names the bad option %j', (over, message) => {
    expect(() => resolveOptions({ ...base, ...over } as never)).toThrow(message);
  });
});
