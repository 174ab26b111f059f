import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { DomainError } from '../common/domain.error.js';
import { brokenStream, ProducerStream, streamKey } from './producer-stream.js';
import { PRODUCER_STATE_STORE, type ProducerStateStore } from './producer-state.store.js';

/**
 * Opens producer streams at the handshake and records their stored seqs (SPEC §8).
 *
 * Invariant: on one instance at most one connection of a stream admits batches. A new
 * connection supersedes the previous one (whose socket may still hold unread frames: a client
 * that reconnects has given up on it), which takes nothing more, and reads the stream's state
 * only once every batch the previous one admitted is stored and recorded, or failed. So the new
 * `hello` never reports less than what is being stored, and the resend cannot store it twice.
 */
@Injectable()
export class ProducerStreams implements OnApplicationShutdown {
  /** The connection of each stream currently open on this instance. */
  private readonly current = new Map<string, ProducerStream>();

  constructor(@Inject(PRODUCER_STATE_STORE) private readonly store: ProducerStateStore) {}

  /** @throws DomainError 503 when the state cannot be read (Redis down): the stream may well exist. */
  async open(name: string, producerId: string): Promise<ProducerStream> {
    const key = streamKey(name, producerId);
    const previous = this.current.get(key);
    if (previous) {
      previous.supersede();
      await previous.settled;
    }
    try {
      const { lastSeq, epoch } = await this.store.open(key);
      const stream = new ProducerStream(key, producerId, lastSeq, epoch);
      // Two handshakes of one stream racing: the later one supersedes the earlier.
      this.current.get(key)?.supersede();
      this.current.set(key, stream);
      return stream;
    } catch (error) {
      throw new DomainError(503, `producer state unavailable: ${(error as Error).message}`);
    }
  }

  /** Records `seq` of `stream` as stored; a failure breaks the stream (see ProducerStream). */
  async record(stream: ProducerStream, seq: number): Promise<void> {
    if (stream.broken) throw brokenStream();
    try {
      await this.store.record(stream.key, seq);
    } catch (error) {
      stream.broken = true;
      throw new DomainError(503, `producer state unavailable: ${(error as Error).message}`);
    }
  }

  /**
   * The connection of `stream` ended (or never started): forget it once every batch it admitted
   * has settled (a reconnect that comes sooner must wait for them), unless superseded already.
   */
  release(stream: ProducerStream): void {
    const settled = stream.settled;
    void settled.then(() => {
      if (stream.settled !== settled) return this.release(stream);
      if (this.current.get(stream.key) === stream) this.current.delete(stream.key);
    });
  }

  onApplicationShutdown(): Promise<void> {
    return this.store.close();
  }
}
