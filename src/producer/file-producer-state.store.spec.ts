import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
    expect(await again.lastSeq('a')).toBe(3);
    expect(await again.lastSeq('b')).toBe(1);
    expect(await again.lastSeq('new')).toBe(0);
    await again.close();
  });

  it('skips a torn last line and forgets streams unused for longer than the TTL', async () => {
    const store = new FileProducerStateStore(dir, 60_000, 'never');
    await store.record('kept', 7);
    await store.close();
    const old = Date.now() - 120_000;
    appendFileSync(join(dir, PRODUCER_STATE_FILE), `{"s":"old","q":9,"t":${old}}\n{"s":"torn","q`);

    const again = new FileProducerStateStore(dir, 60_000, 'never');

    expect(await again.lastSeq('kept')).toBe(7);
    expect(await again.lastSeq('old')).toBe(0);
    expect(await again.lastSeq('torn')).toBe(0);
    expect(readFileSync(join(dir, PRODUCER_STATE_FILE), 'utf8').split('\n')).toHaveLength(2);
    await again.close();
  });
});
