import {
  closeSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import type { FsyncMode } from '../config/env.dto.js';
import type { StreamMark } from '../storage/sinks/entry-group.js';
import type { ProducerLedger } from '../storage/sinks/producer-ledger.interface.js';
import { newWriterId } from '../storage/writer-id.util.js';
import type { ProducerStateStore, StreamState } from './producer-state.store.js';

/** The file in the storage directory (LOG_DIR) beside the day files. */
export const PRODUCER_STATE_FILE = 'producer-state.log';
/** Appended records beyond the live streams after which the file is rewritten compactly. */
const COMPACT_SLACK = 10_000;

interface State {
  seq: number;
  epoch: string;
  /** Last use (ms), for PRODUCER_TTL_S. */
  at: number;
}

/** `{"s":stream,"q":seq,"t":ms,"e":epoch}`: a seq recorded (or a new stream's epoch, q 0). */
interface SeqRecord {
  s: string;
  q: number;
  t: number;
  e?: string;
}

/** `{"i":[[stream,seq,epoch],...],"t":ms,"d":day,"o":offset,"n":bytes,"c":crc}`: see ProducerLedger. */
interface IntentRecord {
  i: [string, number, string][];
  t: number;
  d: string;
  o: number;
  n: number;
  c: number;
}

interface Pending {
  readonly text: string;
  readonly done: () => void;
  readonly fail: (error: unknown) => void;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Producer state without Redis: in memory, made durable by an append-only log in LOG_DIR, read
 * back at boot. The `file` sink notes each group's producer batches here before appending them
 * (ProducerLedger), so their seqs need no record after the write: at boot a note counts iff its
 * bytes are in the day file with its CRC, which leaves no window between storing and recording.
 * Other records of one event-loop turn share one append (and one fdatasync with FSYNC=always); the
 * log is rewritten without expired or superseded records at boot and whenever it has grown
 * COMPACT_SLACK past the live streams. A torn last line (a kill mid-append) is skipped at boot.
 */
export class FileProducerStateStore implements ProducerStateStore, ProducerLedger {
  private readonly path: string;
  private readonly states = new Map<string, State>();
  private file: FileHandle | undefined;
  private pending: Pending[] = [];
  private writing: Promise<void> = Promise.resolve();
  private appended = 0;
  /** Notes whose append has not returned yet: kept across a rewrite (they are still the record). */
  private readonly notes = new Map<readonly StreamMark[], string>();

  constructor(
    private readonly dir: string,
    private readonly ttlMs: number,
    private readonly fsync: FsyncMode,
  ) {
    mkdirSync(dir, { recursive: true });
    this.path = join(dir, PRODUCER_STATE_FILE);
    // Nothing is written until a stream opens: no file for services without producers.
    if (this.load()) this.compact();
  }

  async open(stream: string): Promise<StreamState> {
    const now = Date.now();
    const state = this.live(stream, now);
    if (state) {
      state.at = now;
      return { lastSeq: state.seq, epoch: state.epoch };
    }
    const created = { seq: 0, epoch: newWriterId(), at: now };
    this.states.set(stream, created);
    // The epoch must be durable before any entry carries it.
    await this.append({ s: stream, q: 0, t: now, e: created.epoch });
    return { lastSeq: 0, epoch: created.epoch };
  }

  record(stream: string, seq: number): Promise<void> {
    const now = Date.now();
    const state = this.live(stream, now);
    // Already durable: noted by the file sink before its append (stored()), or recorded before.
    if (state && state.seq >= seq) {
      state.at = now;
      return Promise.resolve();
    }
    const epoch = state?.epoch ?? newWriterId();
    this.states.set(stream, { seq, epoch, at: now });
    return this.append({ s: stream, q: seq, t: now, e: epoch });
  }

  intend(marks: readonly StreamMark[], day: string, offset: number, length: number, crc: number) {
    const note: IntentRecord = {
      i: marks.map((m) => [m.key, m.seq, m.epoch]),
      t: Date.now(),
      d: day,
      o: offset,
      n: length,
      c: crc,
    };
    this.notes.set(marks, JSON.stringify(note) + '\n');
    const written = this.append(note);
    // The sink waits for this note: write it now rather than at the end of the turn.
    this.flush();
    return written;
  }

  abandoned(marks: readonly StreamMark[]): void {
    this.notes.delete(marks);
  }

  stored(marks: readonly StreamMark[]): void {
    this.notes.delete(marks);
    const now = Date.now();
    for (const m of marks) {
      const state = this.states.get(m.key);
      if (state) {
        if (m.seq > state.seq) state.seq = m.seq;
        state.at = now;
      } else this.states.set(m.key, { seq: m.seq, epoch: m.epoch, at: now });
    }
  }

  async close(): Promise<void> {
    await this.writing;
    await this.file?.close();
    this.file = undefined;
  }

  private live(stream: string, now: number): State | undefined {
    const state = this.states.get(stream);
    if (state && now - state.at > this.ttlMs) {
      this.states.delete(stream);
      return undefined;
    }
    return state;
  }

  private append(record: SeqRecord | IntentRecord): Promise<void> {
    const text = JSON.stringify(record) + '\n';
    return new Promise((done, fail) => {
      if (this.pending.push({ text, done, fail }) === 1) setImmediate(() => this.flush());
    });
  }

  /** One append for every record pending; the next append waits for this one. */
  private flush(): void {
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    this.writing = this.writing.then(async () => {
      try {
        this.file ??= await open(this.path, 'a');
        await this.file.write(batch.map((p) => p.text).join(''));
        if (this.fsync === 'always') await this.file.datasync();
        this.appended += batch.length;
        batch.forEach((p) => p.done());
      } catch (error) {
        batch.forEach((p) => p.fail(error));
      }
      if (this.appended > this.states.size + COMPACT_SLACK) await this.rewrite();
    });
  }

  /** Reads the log back, notes counted only when their bytes are stored; false when there is none. */
  private load(): boolean {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch {
      return false;
    }
    for (const line of text.split('\n')) {
      const record = parseRecord(line);
      if (!record) continue;
      if ('i' in record) {
        if (this.isStored(record)) {
          for (const [s, q, e] of record.i) this.raise(s, q, e, record.t);
        }
      } else this.raise(record.s, record.q, record.e, record.t);
    }
    return true;
  }

  private raise(stream: string, seq: number, epoch: string | undefined, at: number): void {
    const known = this.states.get(stream);
    this.states.set(stream, {
      seq: Math.max(seq, known?.seq ?? 0),
      epoch: known?.epoch ?? epoch ?? newWriterId(),
      at: Math.max(at, known?.at ?? 0),
    });
  }

  /** Whether the note's bytes are in its day file: the append it announced happened. */
  private isStored(note: IntentRecord): boolean {
    if (!DAY.test(note.d)) return false;
    let fd: number | undefined;
    try {
      fd = openSync(join(this.dir, `${note.d}.jsonl`), 'r');
      const buf = Buffer.alloc(note.n);
      return readSync(fd, buf, 0, note.n, note.o) === note.n && crc32(buf) === note.c;
    } catch {
      return false;
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }

  /** Boot: synchronous, before any append. */
  private compact(): void {
    const now = Date.now();
    for (const stream of [...this.states.keys()]) this.live(stream, now);
    writeFileSync(`${this.path}.tmp`, this.snapshot());
    renameSync(`${this.path}.tmp`, this.path);
  }

  private async rewrite(): Promise<void> {
    await this.file?.close();
    this.file = undefined;
    this.compact();
    this.appended = 0;
  }

  private snapshot(): string {
    let text = '';
    for (const [s, { seq, epoch, at }] of this.states) {
      text += JSON.stringify({ s, q: seq, t: at, e: epoch }) + '\n';
    }
    for (const note of this.notes.values()) text += note;
    return text;
  }
}

function parseRecord(line: string): SeqRecord | IntentRecord | undefined {
  if (line === '') return undefined;
  try {
    const r = JSON.parse(line) as Record<string, unknown>;
    if (!Number.isFinite(r.t)) return undefined;
    if (Array.isArray(r.i)) {
      const ok =
        typeof r.d === 'string' &&
        Number.isSafeInteger(r.o) &&
        Number.isSafeInteger(r.n) &&
        Number.isSafeInteger(r.c) &&
        r.i.every(
          (m) => Array.isArray(m) && typeof m[0] === 'string' && Number.isSafeInteger(m[1]),
        );
      return ok ? (r as unknown as IntentRecord) : undefined;
    }
    const ok = typeof r.s === 'string' && Number.isSafeInteger(r.q);
    return ok ? (r as unknown as SeqRecord) : undefined;
  } catch {
    return undefined;
  }
}
