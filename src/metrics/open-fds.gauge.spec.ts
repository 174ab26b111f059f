import { closeSync, openSync, readdirSync } from 'node:fs';
import { Registry } from 'prom-client';
import { registerOpenFdsGauge } from './open-fds.gauge.js';

async function sample(registry: Registry): Promise<number> {
  const [metric] = (await registry.getMetricsAsJSON()) as { values: { value: number }[] }[];
  return metric.values[0].value;
}

// Linux only, like the gauge (and the suite: its launchers read /proc too).
describe(registerOpenFdsGauge.name, () => {
  it('reports the open descriptors, a scrape behind the walk it starts', async () => {
    // Arrange
    const registry = new Registry();
    registerOpenFdsGauge(registry);
    const opened: number[] = [];

    // Act
    const first = await sample(registry); // no count yet: waits for its own walk
    const before = readdirSync('/proc/self/fd').length - 1;
    for (let i = 0; i < 50; i++) opened.push(openSync('/dev/null', 'r'));
    await sample(registry); // starts a walk that sees the 50
    await new Promise((resolve) => setTimeout(resolve, 50));
    const after = await sample(registry);
    opened.forEach((fd) => closeSync(fd));

    // Assert
    expect(Math.abs(first - before)).toBeLessThanOrEqual(5);
    expect(after - first).toBeGreaterThanOrEqual(45);
  });
});
