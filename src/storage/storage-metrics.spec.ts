import { SinkMetrics, STORE_DURATION_BUCKETS, StorageMetrics } from './storage-metrics.js';

describe(SinkMetrics.name, () => {
  it('counts a duration in the first bucket whose bound it does not exceed, +Inf last', () => {
    // Arrange
    const metrics = new SinkMetrics('redis');

    // Act
    metrics.observe(0.0005); // on the first bound
    metrics.observe(0.003);
    metrics.observe(60);

    // Assert
    const counts = metrics.durationBuckets;
    expect(counts).toHaveLength(STORE_DURATION_BUCKETS.length + 1);
    expect(counts[0]).toBe(1);
    expect(counts[STORE_DURATION_BUCKETS.indexOf(0.005)]).toBe(1);
    expect(counts.at(-1)).toBe(1);
    expect(metrics.durationCount).toBe(3);
    expect(metrics.durationSum).toBeCloseTo(60.0035);
  });
});

describe(StorageMetrics.name, () => {
  it('keeps one SinkMetrics per sink, in first-use order', () => {
    // Arrange
    const metrics = new StorageMetrics();

    // Act
    const redis = metrics.for('redis');
    metrics.for('file').stored = 3;

    // Assert
    expect(metrics.for('redis')).toBe(redis);
    expect(metrics.all().map((m) => [m.sink, m.stored])).toEqual([
      ['redis', 0],
      ['file', 3],
    ]);
  });
});
