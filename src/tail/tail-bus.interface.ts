/**
 * How stored entries reach the tail subscribers of every instance (SPEC §3 "ingested by any
 * instance"). One `publish` per group write; each instance's listener receives every published
 * group exactly once, in the order its publisher stored them.
 */
export interface TailBus {
  /** Hands a group of stored lines (serialized entries) to every instance. Never throws. */
  publish(lines: readonly string[]): void;

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
  /** A group of stored lines, in store order. */
  entries(lines: readonly string[]): void;
  /** Deliveries stopped (false: e.g. Redis unreachable) or resumed (true). */
  available(up: boolean): void;
}
