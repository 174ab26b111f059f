import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { EnvDto } from '../config/env.dto.js';
import type { LogEntryDto } from '../contract/log-entry.dto.js';
import { checkedEntryLabels, entryLabelsOf, type EntryLabels } from './entry-labels.util.js';
import { SubscriptionIndex } from './subscription.index.js';
import type { TailBus } from './tail-bus.interface.js';
import type { TailFilter } from './tail-filter.dto.js';
import type { TailOutlet } from './tail-outlet.js';
import { TailSubscriber } from './tail-subscriber.js';
import { TAIL_BUS } from './tail.constants.js';

const noop = (): void => undefined;

/** One group's lines (and, for a local bus, labels) collected while its write is in flight. */
interface StagedGroup {
  readonly stored: Promise<void>;
  readonly lines: string[];
  readonly labels: EntryLabels[] | undefined;
}

const DEGRADED =
  '{"event":"error","data":{"status":503,"message":"live tail degraded: Redis is unreachable, entries stored meanwhile are not pushed; the tail resumes by itself"}}';

/**
 * The live tail (SPEC §3): IngestService stages every store call's entries here with the promise
 * of their group's write; each group is published once on the bus when that write succeeds, and
 * every group the bus delivers is pushed, entry by entry, to the subscribers whose filter
 * matches, found through a SubscriptionIndex. Ingest never waits for the tail.
 */
@Injectable()
export class TailService implements OnApplicationShutdown {
  private readonly logger = new Logger(TailService.name);
  private readonly index = new SubscriptionIndex<TailSubscriber>();
  private readonly subscribers = new Map<TailOutlet, TailSubscriber>();
  private readonly maxBuffered: number;
  private droppedTotal = 0;
  /** Numbers the delivered groups, so that each subscriber judges its backlog once per group. */
  private groups = 0;
  private busUp = true;
  private staged: StagedGroup | undefined;
  /** Scratch list of one entry's subscribers (SubscriptionIndex.collectMatches). */
  private readonly matched: TailSubscriber[] = [];

  constructor(
    @Inject(TAIL_BUS) private readonly bus: TailBus,
    env: EnvDto,
  ) {
    this.maxBuffered = env.TAIL_MAX_BUFFERED_BYTES;
    bus.listen({
      entries: (lines, labels) => this.deliver(lines, labels),
      available: (up) => this.available(up),
    });
  }

  /**
   * Publishes `lines` (serialized from `entries`, index for index) once `stored` resolves: with
   * the rest of their group, before its acks leave (their callbacks are registered after this
   * one), never for a failed write. While this instance has subscribers and its bus is local,
   * the labels are read now from the entries' own fields, which are at hand, instead of later
   * from the lines. Invariant (as for StatsRecorder): every call of one group gets the same
   * promise, and a group's calls are consecutive, so one staged group is kept, with one callback.
   */
  stage(entries: readonly LogEntryDto[], lines: readonly string[], stored: Promise<void>): void {
    if (lines.length === 0) return;
    let staged = this.staged;
    if (staged === undefined || staged.stored !== stored) {
      // All or nothing per group: a group begun without labels is read from its lines.
      const labels = this.bus.local && this.index.size > 0 ? [] : undefined;
      const group: StagedGroup = { stored, lines: [], labels };
      staged = this.staged = group;
      stored.then(() => this.publish(group), noop);
    }
    for (let i = 0; i < lines.length; i++) staged.lines.push(lines[i]);
    const labels = staged.labels;
    if (labels === undefined) return;
    for (let i = 0; i < entries.length; i++) labels.push(checkedEntryLabels(entries[i], lines[i])!);
  }

  /** Connections subscribed now (`logger_tail_subscribers`). */
  get subscriberCount(): number {
    return this.index.size;
  }

  /** Entries dropped for slow subscribers so far (`logger_tail_dropped_total`). */
  get dropped(): number {
    return this.droppedTotal;
  }

  /**
   * Resolves once this instance receives every group stored from now on, by any instance: a
   * `subscribed` sent after it promises exactly that (the first subscriber of an instance waits
   * for Redis to confirm the SUBSCRIBE).
   */
  listen(): Promise<void> {
    return this.bus.setInterested(true);
  }

  /** Starts (or, with a new filter, replaces) the subscription of `outlet`. */
  subscribe(outlet: TailOutlet, filter: TailFilter): void {
    // A subscribe that takes effect after its socket closed would never be removed.
    if (outlet.isClosing) {
      if (this.index.size === 0) void this.bus.setInterested(false); // listen() was for it
      return;
    }
    let subscriber = this.subscribers.get(outlet);
    if (subscriber) {
      this.index.remove(subscriber);
      subscriber.filter = filter;
    } else {
      subscriber = new TailSubscriber(outlet, filter, this.maxBuffered, this.countDropped);
      this.subscribers.set(outlet, subscriber);
      outlet.onClose(() => this.unsubscribe(outlet));
    }
    this.index.add(subscriber);
    void this.bus.setInterested(true);
    if (!this.busUp) subscriber.notify(DEGRADED);
  }

  /** Ends the subscription of `outlet`, if any. */
  unsubscribe(outlet: TailOutlet): void {
    const subscriber = this.subscribers.get(outlet);
    if (!subscriber) return;
    this.subscribers.delete(outlet);
    this.index.remove(subscriber);
    if (this.index.size === 0) void this.bus.setInterested(false);
  }

  onApplicationShutdown(): Promise<void> {
    return this.bus.close();
  }

  private publish(group: StagedGroup): void {
    if (this.staged === group) this.staged = undefined;
    this.bus.publish(group.lines, group.labels);
  }

  /**
   * Reads each line's filter fields once (unless they came with it), and builds its `log` event
   * once, only if some filter matches.
   */
  private deliver(lines: readonly string[], labels?: readonly EntryLabels[]): void {
    if (this.index.size === 0) return;
    const group = ++this.groups;
    const touched: TailSubscriber[] = [];
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i];
      const entry = labels !== undefined ? labels[i] : entryLabelsOf(line);
      if (entry === null) {
        // Only another instance's bug (or a stranger on the channel) can send this.
        this.logger.warn(`tail: a published line is not a JSON object (${line.length} chars)`);
        continue;
      }
      const matched = this.matched;
      matched.length = 0;
      this.index.collectMatches(entry, matched);
      if (matched.length === 0) continue;
      // Encoded once, shared by every matching subscriber.
      const frame = Buffer.from(`{"event":"log","data":${line}}`);
      for (let k = 0; k < matched.length; k++) {
        if (matched[k].deliver(frame, group)) touched.push(matched[k]);
      }
    }
    this.matched.length = 0;
    // One write per subscriber and group, in the order the entries were stored.
    for (let i = 0; i < touched.length; i++) touched[i].flush();
  }

  private available(up: boolean): void {
    this.busUp = up;
    if (up) {
      this.logger.log('live tail resumed');
      return;
    }
    this.logger.warn('live tail degraded: Redis pub/sub unreachable');
    for (const subscriber of this.subscribers.values()) subscriber.notify(DEGRADED);
  }

  private readonly countDropped = (count: number): void => {
    this.droppedTotal += count;
  };
}
