import { DomainError } from '../common/domain.error.js';

/**
 * One connection's producer stream (SPEC §8). `next` is the seq its next batch must carry: it
 * moves on when a batch is taken for storage, so that a producer may pipeline batches, while the
 * store records a seq only once its batch is stored. After a batch fails to store (or its seq to
 * be recorded) nothing later of the connection is recorded: the producer reconnects and resends.
 */
export class ProducerStream {
  next: number;
  broken = false;
  /** A newer connection of the stream took over (ProducerStreams): nothing more is admitted. */
  private superseded = false;
  /** Settles once every batch admitted so far is stored and recorded, or failed. */
  settled: Promise<void> = Promise.resolve();

  constructor(
    /** The state store's name of the stream (see streamKey). */
    readonly key: string,
    readonly producerId: string,
    readonly lastSeq: number,
    /** The stream's incarnation (StreamState): its entries' ids carry it. */
    readonly epoch = '',
  ) {
    this.next = lastSeq + 1;
  }

  /**
   * Decides a batch of this stream by its seq (SPEC §8): `new` when it is the next one (and takes
   * its seq), `duplicate` when that seq was taken already.
   * @throws DomainError 400 without a seq, 409 (with `expected`) for a gap, 503 once broken.
   */
  admit(seq: number | undefined): 'new' | 'duplicate' {
    if (seq === undefined) {
      throw new DomainError(400, 'invalid batch', [
        { field: 'seq', message: 'seq is required on a producer stream' },
      ]);
    }
    if (this.superseded) throw supersededStream();
    if (this.broken) throw brokenStream();
    if (seq < this.next) return 'duplicate';
    if (seq > this.next) {
      throw new DomainError(409, `seq ${seq} skips ahead: resend from ${this.next}`, undefined, {
        expected: this.next,
      });
    }
    this.next++;
    return 'new';
  }

  /** Waits for `recorded` (an admitted batch's store and record) before `settled` settles. */
  track(recorded: Promise<void>): void {
    const done = recorded.then(noop, noop);
    this.settled = this.settled.then(() => done);
  }

  supersede(): void {
    this.superseded = true;
  }

  /** Gives back the seq `admit` took, for a batch refused before storage (a 429). */
  release(seq: number): void {
    if (seq === this.next - 1) this.next--;
  }

  /** `{"event":"hello",...}`: sent right after the upgrade, before any reply (SPEC §8). */
  hello(): string {
    return JSON.stringify({
      event: 'hello',
      data: { producerId: this.producerId, lastSeq: this.lastSeq },
    });
  }
}

/** (key name or session user, producer id), unambiguous whatever characters the user has. */
export function streamKey(name: string, producerId: string): string {
  return `${name.length}:${name}:${producerId}`;
}

/** A stream whose earlier batch was not stored takes no more: the producer reconnects (503). */
export function brokenStream(): DomainError {
  return new DomainError(
    503,
    'an earlier batch of this producer stream was not stored: reconnect and resend',
  );
}

function supersededStream(): DomainError {
  return new DomainError(503, 'a newer connection of this producer stream took over');
}

const noop = (): void => undefined;
