import type { Filtered } from './subscription.index.js';
import type { TailFilter } from './tail-filter.dto.js';
import type { TailOutlet } from './tail-outlet.js';

/** Within one group, how far past `maxBuffered` a socket that was keeping up may go. */
const GROUP_SLACK_BYTES = 16 << 20;

/**
 * One subscribed connection. Its queue is the socket's own send buffer. A socket that still has
 * more than `maxBuffered` bytes queued when a group arrives is behind: the group's entries are
 * dropped for this socket only and counted, and once it has caught up it hears how many with
 * `{"event":"dropped","data":{"count":N}}` (SPEC §3). A socket that is keeping up takes a whole
 * group (one tick's writes, corked: a burst the kernel takes within milliseconds from a peer that
 * reads), up to GROUP_SLACK_BYTES more, so memory stays bounded per socket whatever the bursts.
 */
export class TailSubscriber implements Filtered {
  /** Entries dropped since the last `dropped` notice. */
  private dropped = 0;
  /** The group the verdict below is for (see `deliver`). */
  private group = -1;
  private behind = false;
  /** This group's `log` events, written at once when the group has been delivered (`flush`). */
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(
    readonly outlet: TailOutlet,
    public filter: TailFilter,
    private readonly maxBuffered: number,
    private readonly onDropped: (count: number) => void,
  ) {
    outlet.onDrain(() => this.catchUp());
  }

  /**
   * Queues one `log` event of group number `group` (its encoding shared by every subscriber).
   * @returns true for the group's first queued event: the caller then flushes this subscriber
   * once the whole group is delivered.
   */
  deliver(frame: Buffer, group: number): boolean {
    const buffered = this.outlet.buffered + this.pendingBytes;
    if (group !== this.group) {
      this.group = group;
      this.behind = buffered > this.maxBuffered;
    }
    if (this.behind || buffered > this.maxBuffered + GROUP_SLACK_BYTES) {
      this.dropped++;
      this.onDropped(1);
      return false;
    }
    if (this.dropped > 0) this.sendDropped();
    this.pendingBytes += frame.length;
    return this.pending.push(frame) === 1;
  }

  /** Writes the queued events out, in one write. */
  flush(): void {
    if (this.pending.length === 0) return;
    const frames = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    this.outlet.pushAll(frames);
  }

  /** Sends an event that must not be dropped (the degraded-tail error): a few bytes, rarely. */
  notify(frame: string): void {
    this.flush();
    this.outlet.push(frame);
  }

  private catchUp(): void {
    if (this.dropped > 0 && this.outlet.buffered <= this.maxBuffered) this.sendDropped();
  }

  private sendDropped(): void {
    this.flush();
    this.outlet.push(`{"event":"dropped","data":{"count":${this.dropped}}}`);
    this.dropped = 0;
  }
}
