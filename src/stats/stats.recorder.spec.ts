import { jest } from '@jest/globals';
import type { StorageService } from '../storage/storage.service.js';
import { InProcessStatsStore } from './in-process.stats-store.js';
import { StatsRecorder } from './stats.recorder.js';
import { tallyProject, tallyStats, type StatsTally } from './stats-summary.util.js';

const line = (level: string, project: string, system = 's', module = 'm') =>
  JSON.stringify({
    timestamp: '2026-01-21T10:00:00Z',
    correlationId: 'c',
    level,
    project,
    system,
    module,
    action: 'a',
  });

const query = (fromMinute: number, toMinute: number) => ({ fromMinute, toMinute, series: false });
async function read<T>(
  store: InProcessStatsStore,
  q: { fromMinute: number; toMinute: number },
  tally: StatsTally<T>,
): Promise<T> {
  await store.read(q.fromMinute, q.toMinute, tally.visit);
  return tally.result();
}

describe(StatsRecorder.name, () => {
  it('counts every line of each stored group in the minute it was stored', async () => {
    // Arrange
    let listener: (lines: readonly string[]) => void = () => undefined;
    const storage = { onStored: jest.fn((l: typeof listener) => (listener = l)) };
    const store = new InProcessStatsStore();
    let now = 60_000 * 10 + 5;
    new StatsRecorder(storage as unknown as StorageService, store, () => now);

    // Act
    listener([line('info', 'a'), line('error', 'a', 'web', 'Login'), line('info', 'b')]);
    now = 60_000 * 11;
    listener([line('error', 'a', 'web', 'Login')]);

    // Assert
    expect(await read(store, query(10, 11), tallyStats(query(10, 11)))).toEqual({
      total: 3,
      byLevel: { info: 2, error: 1 },
      byProject: { a: 2, b: 1 },
    });
    expect(await read(store, query(10, 12), tallyProject(query(10, 12), 'a'))).toEqual({
      project: 'a',
      total: 3,
      byLevel: { info: 1, error: 2 },
      bySystem: { s: 1, web: 2 },
      byModule: { m: 1, Login: 2 },
    });
  });
});
