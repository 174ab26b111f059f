import type { QueuedEntry } from './log-entry.js';

/** A batch cut from the buffer, kept until the server acked (or refused) it. */
export interface Batch {
  seq: number;
  items: QueuedEntry[];
  /** Written on the current connection since the last requeue. */
  written: boolean;
  /** How many times it was written to a socket. */
  sends: number;
}

/**
 * The batches handed to the server and not yet settled, in seq order.
 * Invariant: seqs are consecutive (each batch's seq is the previous one's + 1), so after
 * `resync(lastStored)` exactly the batches the server has not stored remain, and the first of
 * them is the next seq the server accepts (SPEC §8) unless the server forgot the stream (then
 * its 409 tells where to start).
 */
export class Outbox {
  private readonly batches: Batch[] = [];
  private nextSeq = 1;
  private entries = 0;

  /** Entries in unsettled batches. */
  get entryCount(): number {
    return this.entries;
  }

  get size(): number {
    return this.batches.length;
  }

  get firstOrdinal(): number {
    return this.batches[0]?.items[0]?.ordinal ?? Infinity;
  }

  add(items: QueuedEntry[]): Batch {
    const batch: Batch = { seq: this.nextSeq++, items, written: false, sends: 0 };
    this.batches.push(batch);
    this.entries += items.length;
    return batch;
  }

  has(batch: Batch): boolean {
    return this.batches.includes(batch);
  }

  /** Removes a batch the server settled; false when it was settled before (a late reply). */
  settle(batch: Batch): boolean {
    const at = this.batches.indexOf(batch);
    if (at < 0) return false;
    this.batches.splice(at, 1);
    this.entries -= batch.items.length;
    return true;
  }

  /** The batches to write next, in order. */
  unwritten(): Batch[] {
    return this.batches.filter((b) => !b.written);
  }

  /** Every batch is to be written again (a new connection, or a refused frame). */
  requeueAll(): void {
    for (const batch of this.batches) batch.written = false;
  }

  /**
   * The server has stored every seq ≤ `lastStored`: those batches are settled (returned, to be
   * counted as acked) and the rest written again. `renumber` (a 409, whose `expected` comes from
   * the very record the server dedupes against) numbers the rest from lastStored + 1 even when
   * the server knows less than we saw acked (its state expired). A `hello` only renumbers an
   * empty outbox: were it behind the record (a lagging replica), renumbering our batches onto
   * seqs the record already holds would have them acked as duplicates, unstored.
   */
  resync(lastStored: number, renumber: boolean): Batch[] {
    const stored: Batch[] = [];
    while (this.batches.length > 0 && this.batches[0].seq <= lastStored) {
      const batch = this.batches.shift()!;
      this.entries -= batch.items.length;
      stored.push(batch);
    }
    if (renumber || this.batches.length === 0) this.renumberFrom(lastStored + 1);
    this.requeueAll();
    return stored;
  }

  /** Cuts a batch in two halves in place (the server refused its size); seqs stay consecutive. */
  split(batch: Batch): void {
    const at = this.batches.indexOf(batch);
    if (at < 0 || batch.items.length < 2) return;
    const half = Math.ceil(batch.items.length / 2);
    const second: Batch = { seq: 0, items: batch.items.slice(half), written: false, sends: 0 };
    batch.items = batch.items.slice(0, half);
    this.batches.splice(at + 1, 0, second);
    this.renumberFrom(this.batches[0].seq);
  }

  private renumberFrom(first: number): void {
    this.batches.forEach((b, i) => (b.seq = first + i));
    this.nextSeq = first + this.batches.length;
  }
}
