import { errorText, formatTime } from './lib/format.util.js';
import type { LogEntry } from './lib/log-entry.js';
import { TailBuffer } from './lib/tail-buffer.js';

/** Rows kept on the page (README "Web console"): the oldest beyond it are reused for new ones. */
export const ROW_CAP = 500;
/** Longest error message shown in a row; the correlation view shows it whole. */
const ROW_MESSAGE_MAX = 200;

export interface TailViewElements {
  rows: HTMLTableSectionElement;
  template: HTMLTemplateElement;
  pause: HTMLButtonElement;
  count: HTMLElement;
  dropped: HTMLElement;
  droppedText: HTMLElement;
  droppedDismiss: HTMLButtonElement;
}

/**
 * The `tail-row`s: newest arrival on top, at most ROW_CAP. Entries are queued as they arrive
 * and drawn once per animation frame, so 1,000 entries a second cost ~17 rows a frame, not a
 * layout per message; rows beyond the cap are moved to the top and refilled, not created anew.
 */
export class TailView {
  private readonly buffer = new TailBuffer<LogEntry>(ROW_CAP);
  private frame = 0;
  private droppedTotal = 0;
  private shown = 0;

  constructor(
    private readonly el: TailViewElements,
    onCorrelation: (correlationId: string) => void,
  ) {
    el.pause.addEventListener('click', () => this.togglePause());
    el.droppedDismiss.addEventListener('click', () => {
      this.droppedTotal = 0;
      el.dropped.hidden = true;
    });
    el.rows.addEventListener('click', (event) => {
      const button = (event.target as Element).closest('button.corr');
      const id = button?.closest('tr')?.dataset.correlationId;
      if (id !== undefined) onCorrelation(id);
    });
  }

  add(entry: LogEntry): void {
    this.buffer.push(entry);
    if (this.buffer.paused) this.showCount();
    else this.frame ||= requestAnimationFrame(() => this.draw());
  }

  dropped(count: number): void {
    this.droppedTotal += count;
    this.el.droppedText.textContent = `The service dropped ${this.droppedTotal} entries: this page did not keep up with the tail.`;
    this.el.dropped.hidden = false;
  }

  /** A new filter: what is shown matched the old one. */
  clear(): void {
    this.buffer.clear();
    this.el.rows.replaceChildren();
    this.shown = 0;
    this.showCount();
  }

  private togglePause(): void {
    if (this.buffer.paused) {
      this.buffer.resume();
      this.frame ||= requestAnimationFrame(() => this.draw());
    } else {
      this.buffer.pause();
    }
    this.el.pause.setAttribute('aria-pressed', String(this.buffer.paused));
    this.showCount();
  }

  private draw(): void {
    this.frame = 0;
    const batch = this.buffer.take();
    if (batch.length === 0) return this.showCount();
    const rows = this.el.rows;
    const fragment = document.createDocumentFragment();
    // Newest on top: the batch is oldest first, so the fragment is built from its end. Once
    // ROW_CAP rows exist, the bottom (oldest) one is moved into the fragment and refilled.
    for (let i = batch.length - 1; i >= 0; i--) {
      let row: HTMLTableRowElement;
      if (this.shown >= ROW_CAP) row = rows.lastElementChild as HTMLTableRowElement;
      else {
        row = this.newRow();
        this.shown++;
      }
      fill(row, batch[i] as LogEntry);
      fragment.append(row);
    }
    rows.prepend(fragment);
    this.showCount();
  }

  private newRow(): HTMLTableRowElement {
    const first = this.el.template.content.firstElementChild as HTMLTableRowElement;
    return first.cloneNode(true) as HTMLTableRowElement;
  }

  private showCount(): void {
    const paused = this.buffer.paused;
    const held = this.buffer.heldCount;
    this.el.pause.textContent = paused ? `Resume (${held} new)` : 'Pause';
    const kept = held > ROW_CAP ? `; the newest ${ROW_CAP} will be shown` : '';
    this.el.count.textContent = paused
      ? `Paused: ${held} entries arrived${kept}.`
      : `${this.shown} ${this.shown === 1 ? 'entry' : 'entries'} shown (the newest ${ROW_CAP} are kept).`;
  }
}

/** Writes an entry into a row made from the template; text only, never markup. */
function fill(row: HTMLTableRowElement, entry: LogEntry): void {
  row.dataset.level = String(entry.level);
  row.dataset.correlationId = String(entry.correlationId);
  const cells = row.cells;
  const time = cells[0]?.firstElementChild as HTMLTimeElement;
  time.dateTime = String(entry.timestamp);
  time.textContent = formatTime(String(entry.timestamp));
  (cells[1]?.firstElementChild as HTMLElement).textContent = String(entry.level);
  (cells[2] as HTMLElement).textContent = String(entry.project);
  (cells[3] as HTMLElement).textContent = String(entry.system);
  (cells[4] as HTMLElement).textContent = String(entry.module);
  (cells[5] as HTMLElement).textContent = String(entry.action);
  (cells[6]?.firstElementChild as HTMLElement).textContent = String(entry.correlationId);
  (cells[7] as HTMLElement).textContent = errorText(entry, ROW_MESSAGE_MAX);
}
