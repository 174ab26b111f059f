import { jest } from '@jest/globals';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { pbtParameters } from '../../../test/support/pbt-seed.js';
import type { EntryGroup } from './entry-group.js';
import { encodeLines, JsonlFileSink } from './jsonl-file.sink.js';

let seq = 0;
const group = (day: string, lines: string[]): EntryGroup[] => [
  { writer: 'w', seq: ++seq, day, lines },
];

describe(JsonlFileSink.name, () => {
  let root: string;
  let dir: string;
  let sink: JsonlFileSink;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'jsonl-file-sink-'));
    dir = join(root, 'nested', 'logs');
    sink = new JsonlFileSink(dir);
  });

  afterEach(async () => {
    await sink.close();
    rmSync(root, { recursive: true, force: true });
  });

  const read = (day: string) => readFileSync(join(dir, `${day}.jsonl`), 'utf8');

  it('creates the directory and writes the exact lines to the day file', async () => {
    // Arrange
    const lines = ['{"a":1}', '{"b":"é"}'];

    // Act
    await sink.write(group('2026-01-21', lines));

    // Assert
    expect(read('2026-01-21')).toBe('{"a":1}\n{"b":"é"}\n');
  });

  it('appends across calls, keeping what was there before', async () => {
    // Arrange
    writeFileSync(join(dir, '2026-01-21.jsonl'), '{"old":0}\n');

    // Act
    await sink.write(group('2026-01-21', ['{"a":1}']));
    await sink.write(group('2026-01-21', ['{"b":2}', '{"c":3}']));

    // Assert
    expect(read('2026-01-21')).toBe('{"old":0}\n{"a":1}\n{"b":2}\n{"c":3}\n');
  });

  it('switches to the file of the new day', async () => {
    // Act
    await sink.write(group('2026-01-21', ['{"a":1}']));
    await sink.write(group('2026-01-22', ['{"b":2}']));

    // Assert
    expect(readdirSync(dir).sort()).toEqual(['2026-01-21.jsonl', '2026-01-22.jsonl']);
    expect(read('2026-01-21')).toBe('{"a":1}\n');
    expect(read('2026-01-22')).toBe('{"b":2}\n');
  });

  it('appends consecutive groups of one day in one write, and splits at a day change', async () => {
    // Act
    await sink.write([
      { writer: 'w', seq: 1, day: '2026-01-21', lines: ['{"a":1}'] },
      { writer: 'w', seq: 2, day: '2026-01-21', lines: ['{"b":2}'] },
      { writer: 'w', seq: 3, day: '2026-01-22', lines: ['{"c":3}'] },
    ]);

    // Assert
    expect(read('2026-01-21')).toBe('{"a":1}\n{"b":2}\n');
    expect(read('2026-01-22')).toBe('{"c":3}\n');
  });

  it.each([
    ['always', 2],
    ['never', 0],
  ] as const)('with FSYNC=%s fdatasyncs %d times for two writes, same bytes', async (mode, n) => {
    // Arrange: FileHandle is not exported; its prototype is that of any open handle
    const probe = await open(join(root, 'probe'), 'w');
    const datasync = jest.spyOn(
      Object.getPrototypeOf(probe) as { datasync(): Promise<void> },
      'datasync',
    );
    await probe.close();
    const synced = new JsonlFileSink(join(root, mode), mode);

    // Act
    await synced.write(group('2026-01-21', ['{"a":1}']));
    await synced.write(group('2026-01-21', ['{"b":2}']));
    await synced.close();
    const calls = datasync.mock.calls.length;
    datasync.mockRestore();

    // Assert
    expect(calls).toBe(n);
    expect(readFileSync(join(root, mode, '2026-01-21.jsonl'), 'utf8')).toBe('{"a":1}\n{"b":2}\n');
  });

  it('refuses a day that is not YYYY-MM-DD', async () => {
    await expect(sink.write(group('../escape', ['{}']))).rejects.toThrow(/invalid day/);
  });

  it('check() passes for a writable directory', async () => {
    await expect(sink.check()).resolves.toBeUndefined();
  });

  it('check() fails once the directory is gone', async () => {
    // Arrange: tests run as root, so make the path unusable rather than chmod it.
    rmSync(join(root, 'nested'), { recursive: true });
    writeFileSync(join(root, 'nested'), 'a regular file');

    // Act / Assert
    await expect(sink.check()).rejects.toThrow(/ENOTDIR|ENOENT/);
  });

  it('throws at construction when the directory cannot be created', () => {
    // Arrange
    const file = join(root, 'file');
    writeFileSync(file, '');

    // Act / Assert
    expect(() => new JsonlFileSink(join(file, 'logs'))).toThrow(/ENOTDIR|EEXIST/);
  });

  it('rejects writes after close()', async () => {
    // Act
    await sink.close();

    // Assert
    await expect(sink.write(group('2026-01-21', ['{}']))).rejects.toThrow(/closed/);
  });
});

describe(encodeLines.name, () => {
  it('is the UTF-8 of the lines, each ending in a newline, after one more when torn', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'grapheme', maxLength: 200 }), { minLength: 1, maxLength: 8 }),
        fc.boolean(),
        (lines, torn) => {
          const expected = Buffer.from((torn ? '\n' : '') + lines.map((l) => `${l}\n`).join(''));
          expect(encodeLines(lines, torn).equals(expected)).toBe(true);
        },
      ),
      pbtParameters(200),
    );
  });
});
