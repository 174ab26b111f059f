/**
 * What the live tail holds between a message and the next animation frame: entries arrive one
 * WebSocket message at a time (up to thousands a second) and are drawn in batches, once per
 * frame, or kept while the user has paused. Invariant: it never holds more than 2 × `cap`
 * entries, whatever arrives while the tab is hidden (no frames) or paused, since only the newest
 * `cap` can be on screen anyway.
 */
export class TailBuffer<T> {
  private queue: T[] = [];
  private pausedFlag = false;
  private arrivedWhilePaused = 0;

  constructor(readonly cap: number) {}

  get paused(): boolean {
    return this.pausedFlag;
  }

  /** Entries that arrived since pause() (all of them, kept or not). */
  get heldCount(): number {
    return this.arrivedWhilePaused;
  }

  /** Entries waiting to be drawn (at most 2 × cap). */
  get size(): number {
    return this.queue.length;
  }

  push(entry: T): void {
    this.queue.push(entry);
    if (this.pausedFlag) this.arrivedWhilePaused++;
    // Amortized O(1): trim only once twice the cap has gathered.
    if (this.queue.length > 2 * this.cap) this.queue = this.queue.slice(-this.cap);
  }

  pause(): void {
    this.pausedFlag = true;
    this.arrivedWhilePaused = 0;
  }

  resume(): void {
    this.pausedFlag = false;
    this.arrivedWhilePaused = 0;
  }

  /** The entries to draw now, oldest first, at most `cap`; none while paused. */
  take(): T[] {
    if (this.pausedFlag || this.queue.length === 0) return [];
    const batch = this.queue.length > this.cap ? this.queue.slice(-this.cap) : this.queue;
    this.queue = [];
    return batch;
  }

  clear(): void {
    this.queue = [];
    this.arrivedWhilePaused = 0;
  }
}
