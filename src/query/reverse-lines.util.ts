import type { FileHandle } from 'node:fs/promises';

const LF = 0x0a;

/** One line read backwards, and the byte offset where it starts. */
export interface BackwardLine {
  text: string;
  offset: number;
}

/**
 * Lines of `file` before byte `end`, last first, read in `chunkSize` pieces from the end:
 * memory is one chunk plus the longest line. An empty trailing line (the final `\n`) is skipped.
 * Invariant: each yielded offset is smaller than the previous one, so `end = offset` resumes
 * exactly before the last line yielded.
 */
export async function* readLinesBackward(
  file: FileHandle,
  end: number,
  chunkSize = 64 * 1024,
): AsyncGenerator<BackwardLine> {
  let pos = end;
  let carry: Buffer = Buffer.alloc(0);
  while (pos > 0) {
    const size = Math.min(chunkSize, pos);
    pos -= size;
    const chunk = Buffer.alloc(size);
    const { bytesRead } = await file.read(chunk, 0, size, pos);
    let buf = Buffer.concat([chunk.subarray(0, bytesRead), carry]);
    let cut = buf.lastIndexOf(LF);
    while (cut !== -1) {
      const line = buf.subarray(cut + 1);
      if (line.length > 0) yield { text: line.toString('utf8'), offset: pos + cut + 1 };
      buf = buf.subarray(0, cut);
      cut = buf.lastIndexOf(LF);
    }
    carry = Buffer.from(buf);
  }
  if (carry.length > 0) yield { text: carry.toString('utf8'), offset: 0 };
}
