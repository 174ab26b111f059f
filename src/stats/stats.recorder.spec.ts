import type { LogEntryDto } from '../contract/log-entry.dto.js';
import { InProcessStatsStore } from './in-process.stats-store.js';
import { StatsRecorder } from './stats.recorder.js';
import { summarize, summarizeProject } from './stats-summary.util.js';

const entry = (level: string, project: string, system = 's', module = 'm') =>
  ({ level, project, system, module, action: 'a' }) as LogEntryDto;

/** A storage promise settled by the test, as StorageService hands one out per group. */
function group(): { stored: Promise<void>; resolve(): void; reject(): void } {
  let resolve!: () => void;
  let reject!: () => void;
  const stored = new Promise<void>(
    (res, rej) => ((resolve = res), (reject = () => rej(new Error('down')))),
  );
  return { stored, resolve, reject };
}

const settled = () => new Promise((resolve) => setImmediate(resolve));

describe(StatsRecorder.name, () => {
  it('counts the entries of each stored group in the minute it was stored', async () => {
    // Arrange
    const store = new InProcessStatsStore();
    let now = 60_000 * 10 + 5;
    const recorder = new StatsRecorder(store, () => now);
    const first = group();
    const second = group();

    // Act: two calls join the first group (same promise), one call the second
    recorder.count([entry('info', 'a'), entry('error', 'a', 'web', 'Login')], first.stored);
    recorder.count([entry('info', 'b')], first.stored);
    recorder.count([entry('error', 'a', 'web', 'Login')], second.stored);
    first.resolve();
    await settled();
    now = 60_000 * 11;
    second.resolve();
    await settled();

    // Assert
    expect(summarize(await store.read(10, 11))).toEqual({
      total: 3,
      byLevel: { info: 2, error: 1 },
      byProject: { a: 2, b: 1 },
    });
    expect(summarizeProject(await store.read(10, 12), 'a')).toEqual({
      project: 'a',
      total: 3,
      byLevel: { info: 1, error: 2 },
      bySystem: { s: 1, web: 2 },
      byModule: { m: 1, Login: 2 },
    });
  });

  it('counts nothing of a group whose write failed', async () => {
    // Arrange
    const store = new InProcessStatsStore();
    const recorder = new StatsRecorder(store, () => 60_000);
    const failed = group();
    const ok = group();

    // Act
    recorder.count([entry('info', 'a'), entry('warning', 'a')], failed.stored);
    recorder.count([entry('warning', 'b')], ok.stored);
    failed.reject();
    ok.resolve();
    await settled();

    // Assert
    expect(summarize(await store.read(1, 2))).toEqual({
      total: 1,
      byLevel: { warning: 1 },
      byProject: { b: 1 },
    });
  });

  it('keeps labels apart that only differ in one field, whatever their order of arrival', async () => {
    // Arrange
    const store = new InProcessStatsStore();
    const recorder = new StatsRecorder(store, () => 60_000);
    const g = group();
    const labels = [
      entry('info', 'p', 's', 'm'),
      entry('info', 'p', 's', 'n'),
      entry('info', 'p', 't', 'm'),
      entry('info', 'q', 's', 'm'),
    ];

    // Act: each label set twice, interleaved, so the previous-entry shortcut is both hit and missed
    recorder.count([...labels, ...labels, labels[0]], g.stored);
    g.resolve();
    await settled();

    // Assert
    const counts = await store.read(1, 2);
    expect([...counts.values()]).toEqual([3, 2, 2, 2]);
    expect(summarizeProject(counts, 'p')).toMatchObject({ total: 7, bySystem: { s: 5, t: 2 } });
  });
});
