import type { EntryLabels } from './entry-labels.util.js';

/**
 * How stored entries reach the tail subscribers of every instance (SPEC §3 "ingested by any
 * instance"). One `publish` per group write; each instance's listener receives every published
 * group exactly once, in the order its publisher stored them.
 */
export interface TailBus {
  /**
   * True when the listener runs in this process and so receives `labels` as they were
   * published (read from the checked entries); other buses carry the lines only, and their
   * receivers read the labels from the lines.
   */
  readonly local: boolean;

  /**
   * Hands a group of stored lines (serialized entries) to every instance, with their labels
   * (`labels[i]` of `lines[i]`) when the bus is local. Never throws.
   */
  publish(lines: readonly string[], labels?: readonly EntryLabels[]): void;

  /** Sets the one listener of this instance's deliveries. */
  listen(listener: TailBusListener): void;

  /**
   * Whether this instance has subscribers at all; a bus may stop receiving groups while it has
   * none, so that an instance nobody tails pays nothing for the others' traffic. Resolves once
   * every group published from then on reaches this instance, or once the bus is known to be
   * down (the tail reports that itself); never rejects.
   */
  setInterested(interested: boolean): Promise<void>;

  close(): Promise<void>;
}

export interface TailBusListener {
  /** A group of stored lines, in store order, with their labels from a local bus. */
  entries(lines: readonly string[], labels?: readonly EntryLabels[]): void;
  /** Deliveries stopped (false: e.g. Redis unreachable) or resumed (true). */
  available(up: boolean): void;
}
