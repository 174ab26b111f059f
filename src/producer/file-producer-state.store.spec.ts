import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import type { StreamMark } from '../storage/sinks/entry-group.js';
import { FileProducerStateStore, PRODUCER_STATE_FILE } from './file-producer-state.store.js';

describe(FileProducerStateStore.name, () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'producer-state-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads back what was recorded, never lowering a seq', async () => {
    // Arrange
    const store = new FileProducerStateStore(dir, 60_000, 'never');
    await Promise.all([store.record('a', 3), store.record('b', 1)]);
    await store.record('a', 2);
    await store.close();

    // Act
    const again = new FileProducerStateStore(dir, 60_000, 'always');

    // Assert
    expect((await again.open('a')).lastSeq).toBe(3);
    expect((await again.open('b')).lastSeq).toBe(1);
    expect((await again.open('new')).lastSeq).toBe(0);
    await again.close();
  });

  it('skips a torn last line and forgets streams unused for longer than the TTL', async () => {
    const store = new FileProducerStateStore(dir, 60_000, 'never');
    await store.record('kept', 7);
    await store.close();
    const old = Date.now() - 120_000;
    appendFileSync(join(dir, PRODUCER_STATE_FILE), `{"s":"old","q":9,"t":${old}}\n{"s":"torn","q`);

    const again = new FileProducerStateStore(dir, 60_000, 'never');

    // Compacted at boot: the one live stream.
    expect(readFileSync(join(dir, PRODUCER_STATE_FILE), 'utf8').split('\n')).toHaveLength(2);
    expect((await again.open('kept')).lastSeq).toBe(7);
    expect((await again.open('old')).lastSeq).toBe(0);
    expect((await again.open('torn')).lastSeq).toBe(0);
    await again.close();
  });

  it("keeps a stream's epoch across restarts, and gives a new stream a new one", async () => {
    const store = new FileProducerStateStore(dir, 60_000, 'never');
    const first = await store.open('s');
    await store.close();

    const again = new FileProducerStateStore(dir, 60_000, 'never');

    expect((await again.open('s')).epoch).toBe(first.epoch);
    expect((await again.open('t')).epoch).not.toBe(first.epoch);
    await again.close();
  });

  it('counts a note of the file sink as the record iff its bytes reached the day file', async () => {
    // Arrange: three groups noted; the first appended whole, the second torn, the third never.
    const store = new FileProducerStateStore(dir, 60_000, 'never');
    const { epoch } = await store.open('s');
    const mark = (seq: number): StreamMark[] => [{ key: 's', epoch, seq, from: 0, count: 1 }];
    const day = join(dir, '2026-01-21.jsonl');
    const bytes = (seq: number) => Buffer.from(`{"n":${seq}}\n`);
    await store.intend(mark(1), '2026-01-21', 0, bytes(1).length, crc32(bytes(1)));
    writeFileSync(day, bytes(1));
    await store.intend(mark(2), '2026-01-21', bytes(1).length, bytes(2).length, crc32(bytes(2)));
    appendFileSync(day, bytes(2).subarray(0, 3));
    // (no stored(): a kill -9 right after the append)

    // Act
    const again = new FileProducerStateStore(dir, 60_000, 'never');

    // Assert
    expect(await again.open('s')).toEqual({ lastSeq: 1, epoch });
    await store.close();
    await again.close();
  });

  it('needs no record after a noted append, and keeps the note across a rewrite', async () => {
    const store = new FileProducerStateStore(dir, 60_000, 'never');
    const { epoch } = await store.open('s');
    const marks: StreamMark[] = [{ key: 's', epoch, seq: 1, from: 0, count: 1 }];
    const text = Buffer.from('{"n":1}\n');
    await store.intend(marks, '2026-01-21', 0, text.length, crc32(text));
    writeFileSync(join(dir, '2026-01-21.jsonl'), text);
    store.stored(marks);
    const before = readFileSync(join(dir, PRODUCER_STATE_FILE), 'utf8');

    await store.record('s', 1);
    await store.close();

    expect(readFileSync(join(dir, PRODUCER_STATE_FILE), 'utf8')).toBe(before);
    const again = new FileProducerStateStore(dir, 60_000, 'never');
    expect((await again.open('s')).lastSeq).toBe(1);
    await again.close();
  });
});
