import type { IncomingMessage } from 'node:http';
import { extractApiKey } from './api-key.extractor.js';

const request = (url: string, headers: Record<string, string | string[]> = {}) =>
  ({ url, headers }) as unknown as IncomingMessage;

describe(extractApiKey.name, () => {
  it.each([
    ['header only', request('/ws', { 'x-api-key': 'k1' }), 'k1'],
    ['query only', request('/ws?apiKey=k1'), 'k1'],
    ['query, url-encoded', request('/ws?apiKey=a%2Bb%20c'), 'a+b c'],
    ['header and query agree', request('/ws?apiKey=k1', { 'x-api-key': 'k1' }), 'k1'],
    ['header and query differ', request('/ws?apiKey=k2', { 'x-api-key': 'k1' }), null],
    ['apiKey given twice', request('/ws?apiKey=k1&apiKey=k1'), null],
    ['header given twice', request('/ws', { 'x-api-key': ['k1', 'k1'] }), null],
    ['no key', request('/ws'), null],
    ['empty key', request('/ws?apiKey='), null],
  ])('%s', (_case, req, expected) => {
    // Act
    const key = extractApiKey(req);

    // Assert
    expect(key).toBe(expected);
  });
});
