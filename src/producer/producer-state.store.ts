/** Injection token of the configured {@link ProducerStateStore}. */
export const PRODUCER_STATE_STORE = Symbol('PRODUCER_STATE_STORE');

/** What a stream's state says at the handshake. */
export interface StreamState {
  /** The highest stored seq, 0 for a new (or expired) stream. */
  readonly lastSeq: number;
  /**
   * Random per incarnation of the stream, fixed (durably) before any of its batches is stored:
   * its entries' ids are `p.${epoch}.${seq}.${i}`, so a stream that expired and starts again
   * from seq 1 never collides with the ids of its earlier life.
   */
  readonly epoch: string;
}

/**
 * The highest stored `seq` of each producer stream (SPEC §8), kept for PRODUCER_TTL_S since its
 * last use: in Redis when REDIS_URL is set (any instance may take a reconnecting producer), else
 * in the storage directory. Streams are named by `streamKey`.
 */
export interface ProducerStateStore {
  /** The stream's state, created (and made durable) when there is none. Refreshes its TTL. */
  open(stream: string): Promise<StreamState>;
  /** Records `seq` as stored; never lowers what is recorded. Resolves once durable. */
  record(stream: string, seq: number): Promise<void>;
  close(): Promise<void>;
}
