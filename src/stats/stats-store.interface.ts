/** Called once per (minute, tally key) count that a read finds; a key may come several times. */
export type CountVisitor = (minute: number, key: string, count: number) => void;

/**
 * Where stats counts live: in process (one instance) or in Redis (every instance sharing it).
 * Keys are tally keys (stats-key.util.ts), minutes epoch minute numbers.
 */
export interface StatsStore {
  /** Counts `count` stored entries of `key` in `minute`; synchronous and cheap (after storage). */
  record(minute: number, key: string, count: number): void;
  /**
   * Visits every count in the minutes [fromMinute, toMinute), of every instance; the caller
   * adds them up as its answer needs (a total, or per minute), with no map in between.
   * @throws DomainError 503 when the shared store cannot answer.
   */
  read(fromMinute: number, toMinute: number, visit: CountVisitor): Promise<void>;
  /** Writes what is still local (Redis), then releases connections. */
  close(): Promise<void>;
}
