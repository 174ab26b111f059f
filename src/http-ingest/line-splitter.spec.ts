import fc from 'fast-check';
import { isBlank, LineSplitter } from './line-splitter.js';

/** Splits `chunks` and returns [line text, index] pairs. */
function split(chunks: readonly string[]): [string, number][] {
  const lines: [string, number][] = [];
  const splitter = new LineSplitter((line, index) => lines.push([line.toString('utf8'), index]));
  for (const chunk of chunks) splitter.push(Buffer.from(chunk, 'utf8'));
  splitter.end();
  return lines;
}

describe(LineSplitter.name, () => {
  it('numbers lines from 0, blank ones included', () => {
    expect(split(['a\n\nb\n'])).toEqual([
      ['a', 0],
      ['', 1],
      ['b', 2],
    ]);
  });

  it('drops the \\r of \\r\\n, even when \\r and \\n arrive in different chunks', () => {
    expect(split(['a\r', '\nb\r\n', 'c'])).toEqual([
      ['a', 0],
      ['b', 1],
      ['c', 2],
    ]);
  });

  it('joins a line split across many chunks', () => {
    expect(split(['{"le', 'vel":', '"info"}', '\n{}'])).toEqual([
      ['{"level":"info"}', 0],
      ['{}', 1],
    ]);
  });

  it('ends a last line without a newline, and makes nothing of a final newline', () => {
    expect(split(['x'])).toEqual([['x', 0]]);
    expect(split(['x\n'])).toEqual([['x', 0]]);
    expect(split([])).toEqual([]);
  });

  it('never cuts a multi-byte character, whatever the chunk boundary', () => {
    // Arrange
    const text = 'é😀\nü\n';
    const bytes = Buffer.from(text, 'utf8');
    for (let cut = 1; cut < bytes.length; cut++) {
      const lines: string[] = [];
      const splitter = new LineSplitter((line) => lines.push(line.toString('utf8')));

      // Act
      splitter.push(bytes.subarray(0, cut));
      splitter.push(bytes.subarray(cut));
      splitter.end();

      // Assert
      expect(lines).toEqual(['é😀', 'ü']);
    }
  });

  it('gives the lines of String.split for any text and any chunking (property)', () => {
    const chunked = fc
      .tuple(
        fc.array(fc.constantFrom('a', 'b', '\n', '\r\n', ' ', '{', '}', 'é'), { maxLength: 60 }),
        fc.array(fc.nat(), { maxLength: 10 }),
      )
      .map(([parts, cuts]) => {
        const text = parts.join('');
        const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
        const chunks: string[] = [];
        let at = 0;
        for (const p of [...points, text.length]) {
          chunks.push(text.slice(at, p));
          at = p;
        }
        return { text, chunks };
      });
    fc.assert(
      fc.property(chunked, ({ text, chunks }) => {
        const expected = text.split('\n').map((l) => l.replace(/\r$/, ''));
        if (text.endsWith('\n') || text === '') expected.pop();
        expect(split(chunks).map(([line]) => line)).toEqual(expected);
      }),
      { seed: 9, numRuns: 300 },
    );
  });
});

describe(isBlank.name, () => {
  it.each([
    ['', true],
    ['  \t', true],
    [' x ', false],
    ['{}', false],
  ])('%j → %s', (line, blank) => {
    expect(isBlank(Buffer.from(line))).toBe(blank);
  });
});
