import { constants, mkdirSync } from 'node:fs';
import { access, open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { FsyncMode } from '../../config/env.dto.js';
import type { EntryGroup } from './entry-group.js';
import type { LogSink } from './log-sink.interface.js';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * `file` storage (SPEC §5): JSON Lines in `${dir}/YYYY-MM-DD.jsonl`, one append per day per
 * write() call. Durable once write(2) returns (the page cache survives the process); with
 * FSYNC=always also after fdatasync(2), so the lines survive a power loss too.
 *
 * Entry ids are not stored: the file holds exactly the SPEC entries. This sink is never behind a
 * spool (see createConfiguredLogSink), so it never sees a replay; a client that resends after a
 * 503 of a torn write may find the first part of that write stored twice.
 */
export class JsonlFileSink implements LogSink {
  readonly kind = 'file';
  private day: string | undefined;
  private file: FileHandle | undefined;
  /** The last write failed half-way, so the day file ends in a partial line. */
  private torn = false;
  private closed = false;

  constructor(
    private readonly dir: string,
    private readonly fsync: FsyncMode = 'never',
  ) {
    // Synchronous on purpose: runs once at boot, and a bad LOG_DIR must stop startup.
    mkdirSync(dir, { recursive: true });
  }

  async write(groups: readonly EntryGroup[]): Promise<void> {
    // StorageService sends one group; consecutive groups of one day still share one append.
    let from = 0;
    for (let i = 1; i <= groups.length; i++) {
      if (i === groups.length || groups[i].day !== groups[from].day) {
        const lines =
          i - from === 1 ? groups[from].lines : groups.slice(from, i).flatMap((g) => g.lines);
        await this.append(groups[from].day, lines);
        from = i;
      }
    }
  }

  private async append(day: string, lines: readonly string[]): Promise<void> {
    const file = await this.fileFor(day);
    // A leading newline isolates a torn line from a failed write, so it cannot corrupt this one.
    const text = (this.torn ? '\n' : '') + lines.join('\n') + '\n';
    const buf = Buffer.from(text);
    let offset = 0;
    try {
      while (offset < buf.length) {
        const { bytesWritten } = await file.write(buf, offset, buf.length - offset);
        offset += bytesWritten;
      }
      if (this.fsync === 'always') await file.datasync();
      this.torn = false;
    } catch (err) {
      if (offset > 0) this.torn = true;
      throw err;
    }
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
