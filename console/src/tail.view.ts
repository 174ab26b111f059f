import { errorText, formatTime } from './lib/format.util.js';
import type { LogEntry } from './lib/log-entry.js';
import { TailBuffer } from './lib/tail-buffer.js';

/** Rows kept on the page (README "Web console"): the newest entries, one row each. */
export const ROW_CAP = 500;
/**
 * Shortest time between two draws. Nobody reads 60 updates a second, and each draw refills (so
 * repaints) every visible row: at 1,000 entries/s, 5 draws of ~200 rows cost a fraction of the
 * layout and paint of 60 draws of ~17 (measured by scripts/bench-console.mjs, README "Web console").
 */
const DRAW_INTERVAL_MS = 200;
/** Longest error message shown in a row; the correlation view shows it whole. */
const ROW_MESSAGE_MAX = 200;

export interface TailViewElements {
  rows: HTMLElement;
  template: HTMLTemplateElement;
  pause: HTMLButtonElement;
  count: HTMLElement;
  dropped: HTMLElement;
  droppedText: HTMLElement;
  droppedDismiss: HTMLButtonElement;
}

/**
 * The `tail-row`s: newest arrival on top, at most ROW_CAP. Entries are queued as they arrive
 * and drawn in batches in an animation frame (at most every DRAW_INTERVAL_MS), never a layout
 * per message. Rows never move: a draw refills them in place, newest first (rows out of view
 * cost a text change each and no layout). Moving a batch's rows to the top made Chromium lay
 * out the rows in view twice a draw (once more when content-visibility found them visible):
 * measured by scripts/bench-console.mjs, long tasks fell from 629 to 63 in two minutes.
 */
export class TailView {
  private readonly buffer = new TailBuffer<LogEntry>(ROW_CAP);
  private scheduled = false;
  private lastDraw = 0;
  private droppedTotal = 0;
  private shown = 0;
  private shownEntries: LogEntry[] = [];

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
      const id = button?.closest<HTMLElement>('[data-testid="tail-row"]')?.dataset.correlationId;
      if (id !== undefined) onCorrelation(id);
    });
  }

  add(entry: LogEntry): void {
    this.buffer.push(entry);
    if (this.buffer.paused) this.showCount();
    else this.schedule();
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
    this.shownEntries = [];
    this.showCount();
  }

  private togglePause(): void {
    if (this.buffer.paused) {
      this.buffer.resume();
      this.schedule();
    } else {
      this.buffer.pause();
    }
    this.el.pause.setAttribute('aria-pressed', String(this.buffer.paused));
    this.showCount();
  }

  /** One draw in the next animation frame, at least DRAW_INTERVAL_MS after the last one. */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    const wait = this.lastDraw + DRAW_INTERVAL_MS - performance.now();
    const frame = () => requestAnimationFrame((now) => this.draw(now));
    if (wait > 0) setTimeout(frame, wait);
    else frame();
  }

  private draw(now: number): void {
    this.scheduled = false;
    this.lastDraw = now;
    const batch = this.buffer.take();
    if (batch.length === 0) return this.showCount();
    // Rows stay where they are and are refilled newest first: nothing moves, so only the rows
    // in view are laid out again, in one pass.
    const newest = batch.slice(-ROW_CAP).reverse();
    this.shownEntries = newest.concat(this.shownEntries.slice(0, ROW_CAP - newest.length));
    const rows = this.el.rows;
    const fragment = document.createDocumentFragment();
    while (this.shown < this.shownEntries.length) {
      fragment.append(this.newRow());
      this.shown++;
    }
    rows.append(fragment);
    let row = rows.firstElementChild as HTMLElement | null;
    for (let i = 0; row !== null; i++, row = row.nextElementSibling as HTMLElement | null) {
      fill(row, this.shownEntries[i] as LogEntry);
    }
    this.showCount();
  }

  private newRow(): HTMLElement {
    const first = this.el.template.content.firstElementChild as HTMLElement;
    return first.cloneNode(true) as HTMLElement;
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

/**
 * Writes an entry into a row made from the template; text only, never markup. A row is refilled
 * ~1,000 times a second: each cell's text node is reused (nodeValue), not replaced.
 */
function fill(row: HTMLElement, entry: LogEntry): void {
  row.dataset.level = String(entry.level);
  row.dataset.correlationId = String(entry.correlationId);
  const cells = row.children;
  const time = cells[0]?.firstElementChild as HTMLTimeElement;
  time.dateTime = String(entry.timestamp);
  setText(time, formatTime(String(entry.timestamp)));
  setText(cells[1]?.firstElementChild, String(entry.level));
  setText(cells[2], String(entry.project));
  setText(cells[3], String(entry.system));
  setText(cells[4], String(entry.module));
  setText(cells[5], String(entry.action));
  setText(cells[6]?.firstElementChild, String(entry.correlationId));
  setText(cells[7], errorText(entry, ROW_MESSAGE_MAX));
}

function setText(element: Element | null | undefined, text: string): void {
  if (element === null || element === undefined) return;
  const node = element.firstChild;
  if (node !== null && node.nodeType === Node.TEXT_NODE && node === element.lastChild) {
    if (node.nodeValue !== text) node.nodeValue = text;
  } else element.textContent = text;
}
