import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { readRequestBody, type BodyLimits } from './request-body.reader.js';
import type { BodyFormat } from './body-format.util.js';

const LIMITS: BodyLimits = { maxBytes: 1024, maxItems: 100 };

/** A request stream delivering `chunks` as they are, with `headers`. */
function request(chunks: (string | Buffer)[], headers: Record<string, string> = {}) {
  const stream = Readable.from(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c) : c)));
  return Object.assign(stream, { headers }) as unknown as IncomingMessage & Readable;
}

const read = (chunks: (string | Buffer)[], format: BodyFormat, limits = LIMITS) =>
  readRequestBody(request(chunks), format, limits);

describe(readRequestBody.name, () => {
  it('parses NDJSON lines as they come, indexes by line, blank lines skipped', async () => {
    // Act
    const items = await read(['{"a":1}\n\n  \n{"b"', ':2}\r\nnot json\n[1]'], 'ndjson');

    // Assert
    expect(items.values).toEqual([{ a: 1 }, { b: 2 }, [1]]);
    expect(items.indexes).toEqual([0, 3, 5]);
    expect(items.broken).toEqual([
      { index: 4, errors: [{ field: 'entry', message: 'malformed JSON' }] },
    ]);
  });

  it('rejects a line of invalid UTF-8 by its index and keeps the others', async () => {
    // Act
    const items = await read([Buffer.from([0x7b, 0xff, 0x7d, 0x0a]), '{}'], 'ndjson');

    // Assert
    expect(items.broken).toEqual([
      { index: 0, errors: [{ field: 'entry', message: 'not valid UTF-8' }] },
    ]);
    expect(items.values).toEqual([{}]);
  });

  it('skips a UTF-8 byte order mark before the first line', async () => {
    const items = await read([Buffer.from([0xef, 0xbb, 0xbf]), '{"a":1}'], 'json');
    expect(items.values).toEqual([{ a: 1 }]);
  });

  it('reads json as one entry, as an array, or else as NDJSON', async () => {
    expect((await read(['{"a":', '1}'], 'json')).values).toEqual([{ a: 1 }]);
    const array = await read(['[{"a":1},', '{"b":2}]'], 'json');
    expect(array.values).toEqual([{ a: 1 }, { b: 2 }]);
    expect(array.indexes).toEqual([0, 1]);
    const lines = await read(['{"a":1}\n{"b":2}\n\n{'], 'json');
    expect(lines.values).toEqual([{ a: 1 }, { b: 2 }]);
    expect(lines.broken.map((b) => b.index)).toEqual([3]);
  });

  it('rejects with 413 on the chunk that passes maxBytes, not at the end of the body', async () => {
    // Arrange: 100 chunks of 8 bytes, one per turn of the event loop, against a limit of 10
    let sent = 0;
    const stream = new Readable({
      read() {
        if (sent++ < 100) setImmediate(() => this.push(Buffer.from('{"a":1}\n')));
        else this.push(null);
      },
    });
    const req = Object.assign(stream, { headers: {} }) as unknown as IncomingMessage & Readable;
    let chunksSeen = 0;
    req.on('data', () => chunksSeen++);

    // Act
    const result = readRequestBody(req, 'ndjson', { maxBytes: 10, maxItems: 1000 });
    const seenAtRejection = await result.then(
      () => -1,
      (error: { status: number }) => (error.status === 413 ? chunksSeen : -2),
    );

    // Assert
    expect(seenAtRejection).toBe(2);
    expect(req.listenerCount('data')).toBe(1);
    req.destroy();
  });

  it('accepts exactly maxBytes', async () => {
    const items = await read(['{"a":1}\n', '{}'], 'ndjson', { maxBytes: 10, maxItems: 100 });
    expect(items.values).toHaveLength(2);
  });

  it('rejects a declared Content-Length over maxBytes before reading anything', async () => {
    // Arrange
    const req = request(['{}'], { 'content-length': '2048' });

    // Act
    const result = readRequestBody(req, 'json', LIMITS);

    // Assert
    await expect(result).rejects.toMatchObject({ status: 413 });
    expect(req.listenerCount('data')).toBe(0);
    expect(req.readableFlowing).toBeNull();
  });

  it('rejects with 413 past maxItems non-blank lines or array elements', async () => {
    const limits = { maxBytes: 1024, maxItems: 2 };
    await expect(read(['{}\n\n\n{}\n'], 'ndjson', limits)).resolves.toBeDefined();
    await expect(read(['{}\n{}\n{}'], 'ndjson', limits)).rejects.toMatchObject({ status: 413 });
    await expect(read(['[1,2,3]'], 'json', limits)).rejects.toMatchObject({ status: 413 });
  });

  it('rejects with 400 when the body is aborted', async () => {
    // Arrange
    const stream = Object.assign(new Readable({ read() {} }), { headers: {} });
    const result = readRequestBody(stream as unknown as IncomingMessage, 'ndjson', LIMITS);

    // Act
    stream.push(Buffer.from('{}\n'));
    stream.destroy();

    // Assert
    await expect(result).rejects.toMatchObject({ status: 400 });
  });
});
