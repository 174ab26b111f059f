import {
  mkdir,
  open,
  readdir,
  readFile,
  rename,
  stat,
  unlink,
  type FileHandle,
} from 'node:fs/promises';
import { join } from 'node:path';
import type { FsyncMode } from '../../config/env.dto.js';
import type { EntryGroup } from '../sinks/entry-group.js';
import { decodeRecords, encodeRecords } from './spool-record.codec.js';

/** A segment is sealed (no more appends) once it holds this much, so replay can delete it. */
const SEGMENT_BYTES = 8 << 20;
const SEGMENT_FILE = /^(\d{16})\.spool$/;

export interface SpoolOptions {
  maxBytes: number;
  fsync: FsyncMode;
}

/** Spooled groups handed to a replay; `Spool.commit` once the sink has stored them. */
export interface SpoolBatch {
  readonly groups: readonly EntryGroup[];
  readonly entries: number;
}

interface Reading {
  readonly segment: number;
  readonly bytes: number;
  readonly groups: EntryGroup[];
  pos: number;
}

/**
 * One sink's durable spool (SPEC §5): append-only segment files `NNNNNNNNNNNNNNNN.spool` in `dir`
 * (records: spool-record.codec.ts), read back oldest first and deleted once replayed. Appends
 * and reads may interleave: a replay that reaches the segment being appended seals it first.
 * A replay that dies half-way reads its segment again from the start next time, so the spool is
 * at-least-once; exactly-once is the sinks' work (they skip entry ids they already hold).
 */
export class Spool {
  private segments: number[] = [];
  private sizes = new Map<number, number>();
  private active: { segment: number; file: FileHandle; bytes: number } | undefined;
  private appending: Promise<void> | undefined;
  private reading: Reading | undefined;
  private total = 0;
  private lastError: Error | undefined;

  private constructor(
    readonly dir: string,
    private readonly options: SpoolOptions,
  ) {}

  /** Creates `dir` if needed and finds the segments a previous process left (replayed first). */
  static async open(dir: string, options: SpoolOptions): Promise<Spool> {
    const spool = new Spool(dir, options);
    await mkdir(dir, { recursive: true });
    for (const segment of await segmentsIn(dir)) {
      const { size } = await stat(join(dir, segmentFileName(segment)));
      spool.segments.push(segment);
      spool.sizes.set(segment, size);
      spool.total += size;
    }
    return spool;
  }

  /** Nothing spooled, nothing being appended: a new group may bypass the spool. */
  get empty(): boolean {
    return this.segments.length === 0 && !this.appending && !this.active?.bytes;
  }

  /** Bytes the spool holds on disk. */
  get bytes(): number {
    return this.total;
  }

  /**
   * Appends `groups` durably (after fdatasync with FSYNC=always). Rejects when the spool is full
   * (SPOOL_MAX_BYTES) or the disk refuses; then nothing of `groups` counts as spooled.
   */
  append(groups: readonly EntryGroup[]): Promise<void> {
    // Appends are serialized; one that failed does not fail the next.
    const previous = this.appending;
    const start = previous
      ? previous.catch(() => undefined).then(() => this.write(groups))
      : this.write(groups);
    const done = start.finally(() => {
      if (this.appending === done) this.appending = undefined;
    });
    this.appending = done;
    return done;
  }

  /** Resolves once no append is running. */
  async settled(): Promise<void> {
    while (this.appending) await this.appending.catch(() => undefined);
  }

  /** The oldest spooled groups, up to about `maxEntries` entries (at least one group). */
  async next(maxEntries: number): Promise<SpoolBatch | undefined> {
    if (!this.reading || this.reading.pos >= this.reading.groups.length) {
      if (!(await this.load())) return undefined;
    }
    const reading = this.reading!;
    const groups: EntryGroup[] = [];
    let entries = 0;
    for (
      let i = reading.pos;
      i < reading.groups.length && (entries === 0 || entries < maxEntries);
      i++
    ) {
      groups.push(reading.groups[i]);
      entries += reading.groups[i].lines.length;
    }
    return { groups, entries };
  }

  /** Marks `batch` (the last `next()`) as stored; deletes its segment once all of it is. */
  async commit(batch: SpoolBatch): Promise<void> {
    const reading = this.reading;
    if (!reading) return;
    reading.pos += batch.groups.length;
    if (reading.pos < reading.groups.length) return;
    this.reading = undefined;
    await unlink(join(this.dir, segmentFileName(reading.segment)));
    this.segments = this.segments.filter((s) => s !== reading.segment);
    this.total -= reading.bytes;
    this.lastError = undefined; // space was freed: appends may succeed again
  }

  /** Throws while the spool cannot take a group (full, or its last append failed). */
  check(): void {
    if (this.lastError) throw this.lastError;
    if (this.total >= this.options.maxBytes) {
      throw new Error(`spool ${this.dir} is full (SPOOL_MAX_BYTES=${this.options.maxBytes})`);
    }
  }

  async close(): Promise<void> {
    await this.seal();
  }

  private async write(groups: readonly EntryGroup[]): Promise<void> {
    const buf = encodeRecords(groups);
    if (this.total + buf.length > this.options.maxBytes) {
      this.lastError = new Error(
        `spool ${this.dir} is full: ${this.total} + ${buf.length} bytes > SPOOL_MAX_BYTES=${this.options.maxBytes}`,
      );
      throw this.lastError;
    }
    if (this.active && this.active.bytes >= SEGMENT_BYTES) await this.sealNow();
    const active = this.active ?? (await this.create());
    let offset = 0;
    try {
      while (offset < buf.length) {
        const { bytesWritten } = await active.file.write(buf, offset, buf.length - offset);
        offset += bytesWritten;
      }
      if (this.options.fsync === 'always') await active.file.datasync();
    } catch (error) {
      // A torn record ends its segment: nothing may follow it, so the next append starts anew.
      this.grow(active.segment, offset);
      active.bytes += offset;
      await this.sealNow();
      this.lastError = error as Error;
      throw error;
    }
    this.grow(active.segment, buf.length);
    active.bytes += buf.length;
    this.lastError = undefined;
  }

  private grow(segment: number, bytes: number): void {
    this.sizes.set(segment, (this.sizes.get(segment) ?? 0) + bytes);
    this.total += bytes;
  }

  private async create(): Promise<NonNullable<Spool['active']>> {
    const segment = (this.segments.at(-1) ?? 0) + 1;
    const file = await open(join(this.dir, segmentFileName(segment)), 'a');
    // Active before the directory sync, so that close() closes the file even if the sync fails.
    this.segments.push(segment);
    this.sizes.set(segment, 0);
    this.active = { segment, file, bytes: 0 };
    if (this.options.fsync === 'always') await syncDir(this.dir);
    return this.active;
  }

  /** Loads the oldest segment for reading, sealing it first if appends still go there. */
  private async load(): Promise<boolean> {
    const segment = this.segments[0];
    if (segment === undefined) return false;
    if (this.active?.segment === segment) await this.seal();
    const buf = await readFile(join(this.dir, segmentFileName(segment)));
    const { groups } = decodeRecords(buf);
    this.reading = { segment, bytes: this.sizes.get(segment) ?? buf.length, groups, pos: 0 };
    if (groups.length === 0) {
      // Only a torn record (a crash mid-append): nothing in it was acked.
      await this.commit({ groups: [], entries: 0 });
      return this.load();
    }
    return true;
  }

  /** Waits for a running append, then closes the active segment. */
  private async seal(): Promise<void> {
    await this.settled();
    await this.sealNow();
  }

  private async sealNow(): Promise<void> {
    const active = this.active;
    this.active = undefined;
    await active?.file.close();
  }
}

/**
 * Moves the segments of the spool in `from` (one no process opens any more) into the spool in
 * `to`, before `to` is opened, numbered after its own: they are replayed after them. A rename is
 * atomic, so a crash half-way leaves each segment in exactly one spool. Returns how many moved.
 */
export async function moveSegments(from: string, to: string): Promise<number> {
  const moving = await segmentsIn(from);
  if (moving.length === 0) return 0;
  await mkdir(to, { recursive: true });
  let next = ((await segmentsIn(to)).at(-1) ?? 0) + 1;
  for (const segment of moving) {
    await rename(join(from, segmentFileName(segment)), join(to, segmentFileName(next++)));
  }
  return moving.length;
}

/** The segment numbers of a spool directory, oldest first ([] if there is no directory). */
async function segmentsIn(dir: string): Promise<number[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return names
    .map((name) => SEGMENT_FILE.exec(name))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
}

function segmentFileName(segment: number): string {
  return `${String(segment).padStart(16, '0')}.spool`;
}

/** fdatasync of a directory makes a new file's entry durable (FSYNC=always). */
async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.datasync();
  } finally {
    await handle.close();
  }
}
