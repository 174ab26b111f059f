/** Injection token of the configured {@link ProducerStateStore}. */
export const PRODUCER_STATE_STORE = Symbol('PRODUCER_STATE_STORE');

/**
 * The highest stored `seq` of each producer stream (SPEC §8), kept for PRODUCER_TTL_S since its
 * last use: in Redis when REDIS_URL is set (any instance may take a reconnecting producer), else
 * in the storage directory. Streams are named `${key name or session user}\u0000${producer id}`.
 */
export interface ProducerStateStore {
  /** The highest seq recorded for `stream`, 0 for a new (or expired) one. */
  lastSeq(stream: string): Promise<number>;
  /** Records `seq` as stored; never lowers what is recorded. Resolves once durable. */
  record(stream: string, seq: number): Promise<void>;
  close(): Promise<void>;
}
