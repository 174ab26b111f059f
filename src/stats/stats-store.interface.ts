/**
 * Where stats counts live: in process (one instance) or in Redis (every instance sharing it).
 * Keys are tally keys (stats-key.util.ts), minutes epoch minute numbers.
 */
export interface StatsStore {
  /** Counts `count` stored entries of `key` in `minute`; synchronous and cheap (after storage). */
  record(minute: number, key: string, count: number): void;
  /**
   * Counts per key over the minutes in [fromMinute, toMinute), summed over every instance.
   * @throws DomainError 503 when the shared store cannot answer.
   */
  read(fromMinute: number, toMinute: number): Promise<Map<string, number>>;
  /** Writes what is still local (Redis), then releases connections. */
  close(): Promise<void>;
}
