import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { EntryGroup, StreamMark } from './sinks/entry-group.js';
import type { LogSink } from './sinks/log-sink.interface.js';
import { StorageUnavailableError } from './storage-unavailable.error.js';
import { LOG_SINK } from './storage.constants.js';
import { newWriterId } from './writer-id.util.js';

/** The store() calls that one sink.write serves; they all share `done`. */
interface Group extends EntryGroup {
  /** Receipt day of the lines; meaningless while the group holds only empty calls. */
  day: string;
  readonly lines: string[];
  streams?: StreamMark[];
  readonly done: Promise<void>;
  settle(error?: unknown): void;
}

const noop = (): void => undefined;

/**
 * Group commit in front of the sink (SPEC §3 "ack means stored"): the store() calls of one
 * event-loop turn become one sink.write; at most one write is in flight, and everything stored
 * meanwhile forms the next group. A group holds one day: a call for another day starts a new group.
 */
@Injectable()
export class StorageService implements OnApplicationShutdown {
  /** Closed groups waiting for the sink, oldest first; longer than one only across a day change. */
  private readonly queue: Group[] = [];
  private open: Group | undefined;
  private inFlight: Group | undefined;
  private scheduled = false;
  private closing: Promise<void> | undefined;
  private stored = 0;
  private writeCount = 0;
  /** Identity of this instance's groups (EntryGroup): ids stay unique across instances. */
  private readonly writer = newWriterId();
  private seq = 0;

  private readonly logger = new Logger(StorageService.name);

  constructor(@Inject(LOG_SINK) private readonly sink: LogSink) {}

  /** Entries the sink has stored so far. */
  get entriesStored(): number {
    return this.stored;
  }

  /** Successful sink.write calls so far. */
  get writes(): number {
    return this.writeCount;
  }

  /**
   * Stores `lines` (serialized entries received on UTC day `day`). Resolves once the write holding
   * them has returned, rejects with that write's error; calls settle in call order. An empty
   * `lines` writes nothing but still settles after every earlier call, so replies stay ordered.
   * `batch` names a producer batch (SPEC §8): its lines get ids from the stream (EntryGroup).
   */
  store(
    day: string,
    lines: readonly string[],
    batch?: Omit<StreamMark, 'from' | 'count'>,
  ): Promise<void> {
    if (this.closing)
      return Promise.reject(new StorageUnavailableError('StorageService is closed'));
    let group = this.open;
    if (lines.length > 0) {
      if (group && group.lines.length > 0 && group.day !== day) group = this.cut();
      group ??= this.startGroup();
      group.day = day;
      if (batch) {
        (group.streams ??= []).push({ ...batch, from: group.lines.length, count: lines.length });
      }
      for (let i = 0; i < lines.length; i++) group.lines.push(lines[i]);
    } else {
      group ??= this.startGroup();
    }
    if (!this.scheduled && !this.inFlight) {
      // Deferred to the end of the turn so that every call made in it joins the same write.
      this.scheduled = true;
      setImmediate(this.onTurnEnd);
    }
    return group.done;
  }

  /** Resolves once every call stored so far has settled; failures go to those callers only. */
  flush(): Promise<void> {
    const last = this.open ?? this.queue.at(-1) ?? this.inFlight;
    return last ? last.done.then(noop, noop) : Promise.resolve();
  }

  /** Refuses new calls, flushes the pending ones, then closes the sink. Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.flush().then(() => this.sink.close());
    return this.closing;
  }

  onApplicationShutdown(): Promise<void> {
    return this.close();
  }

  private readonly onTurnEnd = (): void => {
    this.scheduled = false;
    this.writeNext();
  };

  private startGroup(): Group {
    let settle!: (error?: unknown) => void;
    const done = new Promise<void>((resolve, reject) => {
      settle = (error) => (error === undefined ? resolve() : reject(error));
    });
    this.open = { writer: this.writer, seq: ++this.seq, day: '', lines: [], done, settle };
    return this.open;
  }

  /** Closes the open group and opens the next one. */
  private cut(): Group {
    if (this.open) this.queue.push(this.open);
    return this.startGroup();
  }

  private writeNext(): void {
    if (this.inFlight) return;
    if (this.queue.length === 0 && this.open) {
      this.queue.push(this.open);
      this.open = undefined;
    }
    const group = this.queue.shift();
    if (!group) return;
    this.inFlight = group;
    void this.commit(group);
  }

  /** Never rejects: the outcome goes to the group's callers, then the next group starts. */
  private async commit(group: Group): Promise<void> {
    let error: unknown;
    if (group.lines.length > 0) {
      try {
        await this.sink.write([group]);
        this.stored += group.lines.length;
        this.writeCount++;
      } catch (err) {
        error = new StorageUnavailableError(`${this.sink.kind} write failed`, { cause: err });
        this.logger.error(
          { err: error },
          `${this.sink.kind} write of ${group.lines.length} entries failed`,
        );
      }
    }
    this.inFlight = undefined;
    group.settle(error);
    this.writeNext();
  }
}
