import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { DomainError } from '../common/domain.error.js';
import { brokenStream, ProducerStream, streamKey } from './producer-stream.js';
import { PRODUCER_STATE_STORE, type ProducerStateStore } from './producer-state.store.js';

/** Opens producer streams at the handshake and records their stored seqs (SPEC §8). */
@Injectable()
export class ProducerStreams implements OnApplicationShutdown {
  constructor(@Inject(PRODUCER_STATE_STORE) private readonly store: ProducerStateStore) {}

  /** @throws DomainError 503 when the state cannot be read (Redis down): the stream may well exist. */
  async open(name: string, producerId: string): Promise<ProducerStream> {
    const key = streamKey(name, producerId);
    try {
      const { lastSeq, epoch } = await this.store.open(key);
      return new ProducerStream(key, producerId, lastSeq, epoch);
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

  onApplicationShutdown(): Promise<void> {
    return this.store.close();
  }
}
