import { PassThrough } from 'node:stream';
import { answerClientError } from './client-error.handler.js';

/** A socket double that records what is written and whether it was destroyed. */
function fakeSocket(over: { writable?: boolean; headersSent?: boolean } = {}) {
  const socket = new PassThrough();
  const written: string[] = [];
  socket.on('data', (chunk: Buffer) => written.push(chunk.toString()));
  if (over.writable === false) socket.end();
  if (over.headersSent !== undefined) {
    Object.assign(socket, { _httpMessage: { headersSent: over.headersSent } });
  }
  return { socket, written };
}

const error = (code: string) => Object.assign(new Error(code), { code });

describe(answerClientError.name, () => {
  it.each([
    ['HPE_INVALID_METHOD', 400, 'malformed HTTP request'],
    ['HPE_HEADER_OVERFLOW', 431, 'request headers too large'],
    ['ERR_HTTP_REQUEST_TIMEOUT', 408, 'the request was not received in time'],
  ])('answers %s with %i and the SPEC §4 body, then closes', async (code, status, message) => {
    // Arrange
    const { socket, written } = fakeSocket();

    // Act
    answerClientError(error(code), socket);
    await new Promise((resolve) => socket.once('finish', resolve));

    // Assert
    const [head, body] = written.join('').split('\r\n\r\n');
    expect(head).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
    expect(head).toContain('Connection: close');
    expect(head).toContain(`Content-Length: ${Buffer.byteLength(body)}`);
    expect(JSON.parse(body)).toEqual({ status, message, errors: [] });
  });

  it('only closes a reset socket, an unwritable one, or one whose response has begun', () => {
    for (const [code, over] of [
      ['ECONNRESET', {}],
      ['HPE_INVALID_METHOD', { writable: false }],
      ['HPE_INVALID_METHOD', { headersSent: true }],
    ] as const) {
      // Arrange
      const { socket, written } = fakeSocket(over);

      // Act
      answerClientError(error(code), socket);

      // Assert
      expect(socket.destroyed).toBe(true);
      expect(written).toEqual([]);
    }
  });
});
