import { DomainError } from '../common/domain.error.js';
import type { ProducerStateStore, StreamState } from './producer-state.store.js';
import { ProducerStreams } from './producer-streams.service.js';

/** A store whose state is one map; `open` reads it when called. */
function memoryStore(): ProducerStateStore & { seqs: Map<string, number> } {
  const seqs = new Map<string, number>();
  return {
    seqs,
    open: (stream): Promise<StreamState> =>
      Promise.resolve({ lastSeq: seqs.get(stream) ?? 0, epoch: 'e' }),
    record: (stream, seq) => {
      seqs.set(stream, Math.max(seq, seqs.get(stream) ?? 0));
      return Promise.resolve();
    },
    close: () => Promise.resolve(),
  };
}

describe(ProducerStreams.name, () => {
  it('a new connection of a stream waits for the batches the previous one is storing', async () => {
    // Arrange: connection 1 admitted seq 1, whose store has not returned yet.
    const store = memoryStore();
    const streams = new ProducerStreams(store);
    const first = await streams.open('k', 'p');
    first.admit(1);
    let storeDone!: () => void;
    const stored = new Promise<void>((resolve) => (storeDone = resolve));
    first.track(stored.then(() => streams.record(first, 1)));

    // Act: the producer reconnects while that batch is still being stored.
    const opening = streams.open('k', 'p');
    await new Promise((resolve) => setImmediate(resolve));
    storeDone();
    const second = await opening;

    // Assert: hello reports the batch, and the old connection takes nothing more.
    expect(second.lastSeq).toBe(1);
    expect(second.admit(1)).toBe('duplicate');
    expect(() => first.admit(2)).toThrow(DomainError);
  });

  it('a reconnect after the old socket closed still waits for what it was storing', async () => {
    const store = memoryStore();
    const streams = new ProducerStreams(store);
    const first = await streams.open('k', 'p');
    first.admit(1);
    let storeDone!: () => void;
    const stored = new Promise<void>((resolve) => (storeDone = resolve));
    first.track(stored.then(() => streams.record(first, 1)));
    streams.release(first); // the client cut the socket; the batch is still being stored

    const opening = streams.open('k', 'p');
    await new Promise((resolve) => setImmediate(resolve));
    storeDone();

    expect((await opening).lastSeq).toBe(1);
  });

  it('forgets a stream whose connection ended, unless a newer one took over', async () => {
    const streams = new ProducerStreams(memoryStore());
    const first = await streams.open('k', 'p');
    const second = await streams.open('k', 'p');
    streams.release(first);
    await new Promise((resolve) => setImmediate(resolve));

    const third = await streams.open('k', 'p');

    expect(() => second.admit(1)).toThrow(/newer connection/);
    expect(third.admit(1)).toBe('new');
  });
});
