import type { QueuedEntry } from './log-entry.js';

interface Blocked {
  item: QueuedEntry;
  resolve: () => void;
  reject: (error: Error) => void;
}

/** What `push` did with the entry. */
export type PushOutcome = 'queued' | 'dropped-oldest' | 'dropped-new' | 'full';

/**
 * The entries not yet cut into a batch. The bound counts everything unacked (`inFlight()` tells
 * how many entries wait in sent batches), so memory stays bounded however long the service is away.
 * Invariant: the queue holds entries in hand-over order; blocked callers are admitted in order.
 */
export class EntryBuffer {
  private readonly queue: QueuedEntry[] = [];
  private readonly blocked: Blocked[] = [];

  constructor(
    private readonly maxBuffered: number,
    private readonly onFull: 'drop-oldest' | 'block',
    private readonly inFlight: () => number,
  ) {}

  get length(): number {
    return this.queue.length;
  }

  /** The ordinal of the oldest entry here or waiting to get in; Infinity when there is none. */
  get firstOrdinal(): number {
    return this.queue[0]?.ordinal ?? this.blocked[0]?.item.ordinal ?? Infinity;
  }

  /**
   * Adds an entry, or applies the full-buffer policy. Drop-oldest drops the oldest entry not yet
   * sent: a sent batch is kept whole so that its resend stays exact (SPEC §8); when every buffered
   * entry is in flight the new one is dropped. 'full' (policy 'block'): call `block` with it.
   */
  push(item: QueuedEntry): PushOutcome {
    if (this.blocked.length === 0 && this.hasRoom()) {
      this.queue.push(item);
      return 'queued';
    }
    if (this.onFull === 'block') return 'full';
    if (this.queue.length === 0) return 'dropped-new';
    this.queue.shift();
    this.queue.push(item);
    return 'dropped-oldest';
  }

  /** Parks an entry until there is room; `admit` lets it in and resolves. */
  block(item: QueuedEntry, resolve: () => void, reject: (error: Error) => void): void {
    this.blocked.push({ item, resolve, reject });
  }

  /** Takes up to `n` entries from the front. */
  take(n: number): QueuedEntry[] {
    return this.queue.splice(0, n);
  }

  /** Moves blocked entries in while there is room; call after entries were acked or dropped. */
  admit(): void {
    while (this.blocked.length > 0 && this.hasRoom()) {
      const next = this.blocked.shift()!;
      this.queue.push(next.item);
      next.resolve();
    }
  }

  /** Rejects every blocked caller (the logger is closed for good). */
  failBlocked(error: Error): void {
    for (const waiter of this.blocked.splice(0)) waiter.reject(error);
  }

  private hasRoom(): boolean {
    return this.queue.length + this.inFlight() < this.maxBuffered;
  }
}
