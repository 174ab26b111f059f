import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { StatsAnswer } from './api.client.js';

/** Level colours, the same as the rows' (styles.css); each ≥ 4.5:1 against white. */
const LEVELS = [
  { level: 'info', colour: '#0b5394' },
  { level: 'warning', colour: '#8a5300' },
  { level: 'error', colour: '#b3261e' },
] as const;
const HEIGHT = 220;

/**
 * `stats-chart`: entries per minute by level (uPlot, a canvas; its legend is a table). The
 * figure carries `data-total` and `data-minutes` for tests, and a text summary for screen
 * readers, since a canvas says nothing by itself.
 */
export class ChartView {
  private plot: uPlot | undefined;

  constructor(
    private readonly figure: HTMLElement,
    private readonly container: HTMLElement,
    private readonly summary: HTMLElement,
  ) {
    new ResizeObserver(() => this.plot?.setSize(this.size())).observe(container);
  }

  show(answer: StatsAnswer): void {
    const series = answer.series ?? [];
    const data: uPlot.AlignedData = [
      series.map((p) => Date.parse(p.at) / 1000),
      ...LEVELS.map(({ level }) => series.map((p) => p.byLevel[level] ?? 0)),
    ];
    if (this.plot === undefined) this.plot = new uPlot(this.options(), data, this.container);
    else this.plot.setData(data);
    this.figure.dataset.total = String(answer.total);
    this.figure.dataset.minutes = String(series.length);
    const counts = LEVELS.map(({ level }) => `${answer.byLevel[level] ?? 0} ${level}`).join(', ');
    this.summary.textContent = `${answer.total} entries over ${series.length} minutes: ${counts}.`;
  }

  private size(): { width: number; height: number } {
    return { width: Math.max(200, this.container.clientWidth), height: HEIGHT };
  }

  private options(): uPlot.Options {
    return {
      ...this.size(),
      scales: { x: { time: true } },
      axes: [{ stroke: '#1f2328' }, { stroke: '#1f2328', label: 'entries / min' }],
      series: [
        { label: 'time' },
        ...LEVELS.map(({ level, colour }) => ({
          label: level,
          stroke: colour,
          width: 2,
          points: { show: false },
        })),
      ],
    };
  }
}
