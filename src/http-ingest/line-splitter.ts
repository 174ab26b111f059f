const LF = 0x0a;
const CR = 0x0d;

/** Called for each complete line: its bytes (without `\n` or `\r\n`) and its 0-based number. */
export type LineHandler = (line: Buffer, index: number) => void;

/**
 * Splits a byte stream into lines as chunks arrive (NDJSON, SPEC §4): `\n` ends a line, a `\r`
 * before it is dropped, a line may span any number of chunks, and the last line needs no `\n`.
 * Splitting bytes (not text) is safe for UTF-8: 0x0A never occurs inside a multi-byte character.
 * Invariant: every byte pushed belongs to exactly one line, and lines are numbered in order.
 */
export class LineSplitter {
  /** Pieces of the line not ended yet; joined once, when it ends. */
  private pending: Buffer[] = [];
  private index = 0;

  constructor(private readonly onLine: LineHandler) {}

  /** Lines seen so far, including blank ones. */
  get lines(): number {
    return this.index;
  }

  push(chunk: Buffer): void {
    let start = 0;
    let end = chunk.indexOf(LF, start);
    while (end !== -1) {
      const piece = chunk.subarray(start, end);
      if (this.pending.length === 0) {
        this.emit(piece);
      } else {
        this.pending.push(piece);
        this.emit(Buffer.concat(this.pending));
        this.pending = [];
      }
      start = end + 1;
      end = chunk.indexOf(LF, start);
    }
    if (start < chunk.length) this.pending.push(chunk.subarray(start));
  }

  /** Ends the stream: a last line without `\n` is a line too. */
  end(): void {
    if (this.pending.length === 0) return;
    const last = Buffer.concat(this.pending);
    this.pending = [];
    this.emit(last);
  }

  private emit(line: Buffer): void {
    const cut = line.length > 0 && line[line.length - 1] === CR ? line.subarray(0, -1) : line;
    this.onLine(cut, this.index++);
  }
}

/** Whether a line holds only spaces and tabs (or nothing): NDJSON skips it (SPEC §4). */
export function isBlank(line: Buffer): boolean {
  for (let i = 0; i < line.length; i++) {
    const b = line[i];
    if (b !== 0x20 && b !== 0x09 && b !== CR) return false;
  }
  return true;
}
