import { constants, mkdirSync } from 'node:fs';
import { access, open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import type { FsyncMode } from '../../config/env.dto.js';
import type { EntryGroup, StreamMark } from './entry-group.js';
import type { LogSink } from './log-sink.interface.js';
import type { ProducerLedger } from './producer-ledger.interface.js';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const NEWLINE = 0x0a;

/**
 * `file` storage (SPEC §5): JSON Lines in `${dir}/YYYY-MM-DD.jsonl`, one append per day per
 * write() call. Durable once write(2) returns (the page cache survives the process); with
 * FSYNC=always also after fdatasync(2), so the lines survive a power loss too.
 *
 * Entry ids are not stored: the file holds exactly the SPEC entries. This sink is never behind a
 * spool (see createConfiguredLogSink), so it never sees a replay; a client that resends after a
 * 503 of a torn write may find the first part of that write stored twice. Producer batches
 * (SPEC §8) are noted in the ProducerLedger, when there is one, before their append: where they
 * will be and the CRC of the bytes, which is how a restart knows they were stored.
 */
export class JsonlFileSink implements LogSink {
  readonly kind = 'file';
  private day: string | undefined;
  private file: FileHandle | undefined;
  /** The last write failed half-way, so the day file ends in a partial line. */
  private torn = false;
  /** Bytes in the open day file (only this process appends to it); unknown after a failure. */
  private size: number | undefined;
  private closed = false;

  constructor(
    private readonly dir: string,
    private readonly fsync: FsyncMode = 'never',
    private readonly ledger?: ProducerLedger,
  ) {
    // Synchronous on purpose: runs once at boot, and a bad LOG_DIR must stop startup.
    mkdirSync(dir, { recursive: true });
  }

  async write(groups: readonly EntryGroup[]): Promise<void> {
    // StorageService sends one group; consecutive groups of one day still share one append.
    let from = 0;
    for (let i = 1; i <= groups.length; i++) {
      if (i === groups.length || groups[i].day !== groups[from].day) {
        const run = i - from === 1 ? [groups[from]] : groups.slice(from, i);
        const lines = run.length === 1 ? run[0].lines : run.flatMap((g) => g.lines);
        const marks = this.ledger && run.some((g) => g.streams) ? markedIn(run) : undefined;
        await this.append(groups[from].day, lines, marks);
        from = i;
      }
    }
  }

  private async append(day: string, lines: readonly string[], marks?: StreamMark[]): Promise<void> {
    const file = await this.fileFor(day);
    const buf = encodeLines(lines, this.torn);
    if (marks) {
      this.size ??= (await file.stat()).size;
      await this.ledger!.intend(marks, day, this.size, buf.length, crc32(buf));
    }
    let offset = 0;
    try {
      while (offset < buf.length) {
        const { bytesWritten } = await file.write(buf, offset, buf.length - offset);
        offset += bytesWritten;
      }
      if (this.fsync === 'always') await file.datasync();
      this.torn = false;
      if (this.size !== undefined) this.size += buf.length;
    } catch (err) {
      if (offset > 0) this.torn = true;
      this.size = undefined;
      if (marks) this.ledger!.abandoned(marks);
      throw err;
    }
    if (marks) this.ledger!.stored(marks);
  }

  async check(): Promise<void> {
    await access(this.dir, constants.W_OK);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.release();
  }

  private async fileFor(day: string): Promise<FileHandle> {
    if (this.closed) throw new Error('JsonlFileSink is closed');
    if (day === this.day && this.file) return this.file;
    // The day becomes a file name: refuse anything that could leave the directory.
    if (!DAY.test(day)) throw new Error(`invalid day ${JSON.stringify(day)}, expected YYYY-MM-DD`);
    await this.release();
    this.file = await open(join(this.dir, `${day}.jsonl`), 'a');
    this.day = day;
    this.size = undefined;
    return this.file;
  }

  private async release(): Promise<void> {
    const file = this.file;
    this.file = undefined;
    this.day = undefined;
    this.torn = false;
    await file?.close();
  }
}

/**
 * The bytes of one append: `lines`, each ending in a newline, after a leading newline when the
 * last write was torn (it isolates the torn line, so that it cannot corrupt this one). A function
 * of its own so that the joined text (as big as the buffer: ~10 MB per group under load) dies
 * here; a local of append() would stay in its suspended frame for the whole write. The newlines
 * go into the buffer, not the text: `text + '\n'` would make V8 copy the text once more to flatten it.
 */
export function encodeLines(lines: readonly string[], torn: boolean): Buffer {
  const text = lines.join('\n');
  const lead = torn ? 1 : 0;
  const buf = Buffer.allocUnsafe(lead + Buffer.byteLength(text) + 1);
  if (torn) buf[0] = NEWLINE;
  buf.write(text, lead);
  buf[buf.length - 1] = NEWLINE;
  return buf;
}

/** The marks of consecutive groups of one day, as lines of their joined text. */
function markedIn(groups: readonly EntryGroup[]): StreamMark[] {
  const marks: StreamMark[] = [];
  let base = 0;
  for (const group of groups) {
    for (const m of group.streams ?? []) marks.push(base === 0 ? m : { ...m, from: m.from + base });
    base += group.lines.length;
  }
  return marks;
}
