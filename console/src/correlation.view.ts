import type { ApiClient } from './api.client.js';
import { errorText, formatDateTime } from './lib/format.util.js';
import type { LogEntry } from './lib/log-entry.js';

/** SPEC §10: up to 1000 entries of one correlationId. */
const MAX_ENTRIES = 1000;
/**
 * Pages followed at most. On file storage a page is cut short after 32 MiB scanned and may hold
 * nothing, so a rare id in a big log takes many pages; this bounds the wait.
 */
const MAX_PAGES = 200;

export interface CorrelationElements {
  dialog: HTMLDialogElement;
  title: HTMLElement;
  status: HTMLElement;
  entries: HTMLOListElement;
  close: HTMLButtonElement;
}

/**
 * `correlation-view`: every stored entry of one correlationId, oldest first, across systems
 * and modules, with the error fields, from GET /logs (following `next` cursors).
 */
export class CorrelationView {
  private generation = 0;

  constructor(
    private readonly el: CorrelationElements,
    private readonly api: () => ApiClient,
  ) {
    el.close.addEventListener('click', () => el.dialog.close());
    el.dialog.addEventListener('close', () => this.generation++);
  }

  async open(correlationId: string): Promise<void> {
    const generation = ++this.generation;
    this.el.title.textContent = `Correlation ${correlationId}`;
    this.el.status.textContent = 'Loading…';
    this.el.entries.replaceChildren();
    if (!this.el.dialog.open) this.el.dialog.showModal();
    try {
      const cancelled = () => generation !== this.generation;
      const { entries, complete } = await this.load(correlationId, cancelled);
      if (generation !== this.generation) return;
      this.show(entries, complete);
    } catch (error) {
      if (generation === this.generation) {
        this.el.status.textContent = `Could not load the entries: ${(error as Error).message}`;
      }
    }
  }

  private async load(
    correlationId: string,
    cancelled: () => boolean,
  ): Promise<{ entries: LogEntry[]; complete: boolean }> {
    const entries: LogEntry[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES && entries.length < MAX_ENTRIES && !cancelled(); page++) {
      const limit = String(MAX_ENTRIES - entries.length);
      const answer = await this.api().logs({ correlationId, limit, cursor });
      entries.push(...answer.entries);
      if (answer.next === null) return { entries, complete: true };
      cursor = answer.next;
      this.el.status.textContent = `Loading… ${entries.length} entries so far`;
    }
    return { entries, complete: entries.length >= MAX_ENTRIES };
  }

  private show(newestFirst: LogEntry[], complete: boolean): void {
    // GET /logs is newest first; reversed, then ordered by time (stable: arrival order in ties).
    const entries = newestFirst.reverse();
    const at = new Map(entries.map((e) => [e, Date.parse(e.timestamp) || 0]));
    entries.sort((a, b) => (at.get(a) ?? 0) - (at.get(b) ?? 0));
    const more = !complete ? ' (stopped early: the search was too long; more may exist)' : '';
    const cap = entries.length >= MAX_ENTRIES ? ` (the first ${MAX_ENTRIES})` : '';
    this.el.status.textContent = `${entries.length} entries, oldest first${cap}${more}.`;
    this.el.entries.replaceChildren(...entries.map(item));
  }
}

function item(entry: LogEntry): HTMLLIElement {
  const li = document.createElement('li');
  li.dataset.testid = 'correlation-entry';
  li.dataset.level = entry.level;
  const head = document.createElement('p');
  head.className = 'corr-head';
  const time = document.createElement('time');
  time.dateTime = entry.timestamp;
  time.textContent = formatDateTime(entry.timestamp);
  const level = document.createElement('span');
  level.className = 'level';
  level.textContent = entry.level;
  const where = document.createElement('span');
  where.textContent = `${entry.project} · ${entry.system} · ${entry.module} · ${entry.action}`;
  head.append(time, ' ', level, ' ', where);
  li.append(head);
  const error = errorText(entry);
  if (error !== '') {
    const p = document.createElement('p');
    p.className = 'corr-error';
    p.textContent = error;
    li.append(p);
  }
  const user = entry.activeSession?.user;
  if (user !== undefined) {
    const p = document.createElement('p');
    p.className = 'hint';
    p.textContent = `sent by ${user}`;
    li.append(p);
  }
  return li;
}
