import fc from 'fast-check';
import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readLinesBackward, type BackwardLine } from './reverse-lines.util.js';

async function backward(text: string, chunkSize: number, end?: number): Promise<BackwardLine[]> {
  const dir = await mkdtemp(join(tmpdir(), 'reverse-'));
  try {
    await writeFile(join(dir, 'f'), text);
    const file = await open(join(dir, 'f'), 'r');
    const lines: BackwardLine[] = [];
    for await (const line of readLinesBackward(file, end ?? Buffer.byteLength(text), chunkSize)) {
      lines.push(line);
    }
    await file.close();
    return lines;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The non-empty lines of `text` with their byte offsets, last first: what must come out. */
function expected(text: string): BackwardLine[] {
  const out: BackwardLine[] = [];
  let offset = 0;
  for (const line of text.split('\n')) {
    if (line !== '') out.push({ text: line, offset });
    offset += Buffer.byteLength(line) + 1;
  }
  return out.reverse();
}

describe(readLinesBackward.name, () => {
  it('yields lines last first with their start offsets, skipping the final newline', async () => {
    expect(await backward('a\nbb\nccc\n', 2)).toEqual([
      { text: 'ccc', offset: 5 },
      { text: 'bb', offset: 2 },
      { text: 'a', offset: 0 },
    ]);
  });

  it('resumes exactly before a yielded line when given its offset as the end', async () => {
    expect(await backward('a\nbb\nccc\n', 3, 5)).toEqual([
      { text: 'bb', offset: 2 },
      { text: 'a', offset: 0 },
    ]);
  });

  it('agrees with a forward split for any text and chunk size (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom('x', 'é', '😀', '\n', '{}'), { maxLength: 40 }),
        fc.integer({ min: 1, max: 9 }),
        async (parts, chunkSize) => {
          const text = parts.join('');
          expect(await backward(text, chunkSize)).toEqual(expected(text));
        },
      ),
      { seed: 11, numRuns: 100 },
    );
  });
});
