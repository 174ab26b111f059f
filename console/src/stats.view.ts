import type { ApiClient, StatsAnswer } from './api.client.js';
import type { ErrorBanner } from './banner.view.js';
import type { ChartView } from './chart.view.js';
import { formatDateTime, localInputToIso } from './lib/format.util.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** How often the live stats are read again. */
const CHART_REFRESH_MS = 5_000;
const PROJECTS_REFRESH_MS = 15_000;
const LIVE_TEXT = 'Live: projects of the last 24 hours, the chart of the last hour.';

export interface StatsElements {
  range: HTMLFormElement;
  from: HTMLInputElement;
  to: HTMLInputElement;
  live: HTMLButtonElement;
  rangeLabel: HTMLElement;
  projects: HTMLUListElement;
  projectsEmpty: HTMLElement;
}

type Range = {
  from: string;
  to: string;
};

/**
 * `stats-project` per project (with its error count) and `stats-chart`. Live (no range picked):
 * projects of the last 24 hours and the chart of the last hour, read again every few seconds.
 * With a picked range both cover it, once. GET /stats answers `byProject` for every level and,
 * with `level=error`, the errors alone; `series=minute` gives the chart's points.
 */
export class StatsView {
  private picked: Range | undefined;
  private timers: ReturnType<typeof setInterval>[] = [];

  constructor(
    private readonly el: StatsElements,
    private readonly chart: ChartView,
    private readonly banner: ErrorBanner,
    private readonly api: () => ApiClient,
    private readonly onProject: (project: string) => void,
  ) {
    el.rangeLabel.textContent = LIVE_TEXT;
    el.range.addEventListener('submit', (event) => {
      event.preventDefault();
      this.pick();
    });
    el.live.addEventListener('click', () => {
      el.from.value = '';
      el.to.value = '';
      this.pick();
    });
  }

  start(): void {
    this.stop();
    void this.refreshProjects();
    void this.refreshChart();
    if (this.picked !== undefined) return;
    this.timers = [
      setInterval(() => void this.refreshChart(), CHART_REFRESH_MS),
      setInterval(() => void this.refreshProjects(), PROJECTS_REFRESH_MS),
    ];
  }

  stop(): void {
    this.timers.forEach(clearInterval);
    this.timers = [];
  }

  private pick(): void {
    const from = localInputToIso(this.el.from.value);
    const to = localInputToIso(this.el.to.value);
    if (from === undefined && to === undefined) {
      this.picked = undefined;
      this.el.rangeLabel.textContent = LIVE_TEXT;
    } else {
      const end = to ?? new Date().toISOString();
      const start = from ?? new Date(Date.parse(end) - DAY_MS).toISOString();
      if (Date.parse(start) >= Date.parse(end)) {
        this.banner.set('range', 'The time range is empty: “From” must be before “To”.');
        return;
      }
      this.picked = { from: start, to: end };
      this.el.rangeLabel.textContent = `From ${formatDateTime(start)} to ${formatDateTime(end)}.`;
    }
    this.banner.clear('range');
    this.start();
  }

  private async refreshProjects(): Promise<void> {
    const range = this.picked ?? lastMs(DAY_MS);
    const answers = await this.read(() =>
      Promise.all([this.api().stats(range), this.api().stats({ ...range, level: 'error' })]),
    );
    if (answers !== undefined) this.showProjects(answers[0], answers[1]);
  }

  private async refreshChart(): Promise<void> {
    const range = this.picked ?? lastMs(HOUR_MS);
    const answer = await this.read(() => this.api().stats({ ...range, series: 'minute' }));
    if (answer !== undefined) this.chart.show(answer);
  }

  private async read<T>(call: () => Promise<T>): Promise<T | undefined> {
    try {
      const answer = await call();
      this.banner.clear('stats');
      return answer;
    } catch (error) {
      this.banner.set('stats', `Stats are not up to date: ${(error as Error).message}`);
      return undefined;
    }
  }

  private showProjects(all: StatsAnswer, errors: StatsAnswer): void {
    const projects = Object.keys(all.byProject).map((project) => ({
      project,
      total: all.byProject[project] ?? 0,
      errors: errors.byProject[project] ?? 0,
    }));
    projects.sort((a, b) => b.errors - a.errors || b.total - a.total || cmp(a.project, b.project));
    this.el.projects.replaceChildren(
      ...projects.map(({ project, total, errors: n }) => {
        const li = document.createElement('li');
        li.dataset.testid = 'stats-project';
        li.dataset.project = project;
        li.dataset.errors = String(n);
        if (n > 0) li.classList.add('has-errors');
        const name = document.createElement('button');
        name.type = 'button';
        name.className = 'link';
        name.textContent = project;
        name.title = `Tail ${project}`;
        name.addEventListener('click', () => this.onProject(project));
        const counts = document.createElement('span');
        counts.className = 'counts';
        counts.textContent = `${n} ${n === 1 ? 'error' : 'errors'} · ${total} ${total === 1 ? 'entry' : 'entries'}`;
        li.append(name, counts);
        return li;
      }),
    );
    this.el.projectsEmpty.hidden = projects.length > 0;
  }
}

/** The last `ms` up to now. */
function lastMs(ms: number): Range {
  const now = Date.now();
  return { from: new Date(now - ms).toISOString(), to: new Date(now).toISOString() };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
