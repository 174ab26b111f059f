import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { FsyncMode } from '../config/env.dto.js';
import type { ProducerStateStore } from './producer-state.store.js';

/** The file in the storage directory (LOG_DIR) beside the day files. */
export const PRODUCER_STATE_FILE = 'producer-state.log';
/** Appended records beyond the live streams after which the file is rewritten compactly. */
const COMPACT_SLACK = 10_000;

interface State {
  seq: number;
  /** Last use (ms), for PRODUCER_TTL_S. */
  at: number;
}

interface Pending {
  readonly text: string;
  readonly done: () => void;
  readonly fail: (error: unknown) => void;
}

/**
 * Producer state without Redis: in memory, made durable by an append-only log of
 * `{"s":stream,"q":seq,"t":ms}` lines in LOG_DIR, read back at boot. The records of one
 * event-loop turn share one append (and one fdatasync with FSYNC=always); the log is rewritten
 * without expired or superseded records at boot and whenever it has grown COMPACT_SLACK past
 * the live streams. A torn last line (a kill mid-append) is skipped at boot.
 */
export class FileProducerStateStore implements ProducerStateStore {
  private readonly path: string;
  private readonly states = new Map<string, State>();
  private file: FileHandle | undefined;
  private pending: Pending[] = [];
  private writing: Promise<void> = Promise.resolve();
  private appended = 0;

  constructor(
    dir: string,
    private readonly ttlMs: number,
    private readonly fsync: FsyncMode,
  ) {
    mkdirSync(dir, { recursive: true });
    this.path = join(dir, PRODUCER_STATE_FILE);
    this.load();
    this.compact();
  }

  lastSeq(stream: string): Promise<number> {
    const state = this.live(stream, Date.now());
    if (state) state.at = Date.now();
    return Promise.resolve(state?.seq ?? 0);
  }

  record(stream: string, seq: number): Promise<void> {
    const now = Date.now();
    const state = this.live(stream, now);
    if (state && state.seq >= seq) state.at = now;
    else this.states.set(stream, { seq, at: now });
    const text = JSON.stringify({ s: stream, q: Math.max(seq, state?.seq ?? 0), t: now }) + '\n';
    return new Promise((done, fail) => {
      if (this.pending.push({ text, done, fail }) === 1) setImmediate(() => this.flush());
    });
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

  /** One append for every record of the turn; the next turn's wait for this one. */
  private flush(): void {
    const batch = this.pending;
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

  private load(): void {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch {
      return;
    }
    for (const line of text.split('\n')) {
      const record = parseRecord(line);
      if (!record) continue;
      const known = this.states.get(record.s);
      this.states.set(record.s, { seq: Math.max(record.q, known?.seq ?? 0), at: record.t });
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
    for (const [s, { seq, at }] of this.states) text += JSON.stringify({ s, q: seq, t: at }) + '\n';
    return text;
  }
}

function parseRecord(line: string): { s: string; q: number; t: number } | undefined {
  if (line === '') return undefined;
  try {
    const r = JSON.parse(line) as { s?: unknown; q?: unknown; t?: unknown };
    const ok = typeof r.s === 'string' && Number.isSafeInteger(r.q) && Number.isFinite(r.t);
    return ok ? (r as { s: string; q: number; t: number }) : undefined;
  } catch {
    return undefined;
  }
}
