import './styles.css';
import { ApiClient, ApiError } from './api.client.js';
import { ErrorBanner } from './banner.view.js';
import { ChartView } from './chart.view.js';
import { CorrelationView } from './correlation.view.js';
import { keyStore } from './key.store.js';
import { VIEWER_ZONE } from './lib/format.util.js';
import { FILTER_FIELDS, type TailFilter } from './lib/log-entry.js';
import { StatsView } from './stats.view.js';
import { TailSocket, type ConnectionState } from './tail.socket.js';
import { TailView } from './tail.view.js';

/** The page's wiring: sign-in, then the tail, the stats and the correlation view. */

const $ = <T extends HTMLElement>(id: string): T => {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`the page has no #${id}`);
  return element as T;
};

const FILTER_DEBOUNCE_MS = 300;
const wsPath =
  document.querySelector<HTMLMetaElement>('meta[name="logger-ws-path"]')?.content ?? '/ws';

const banner = new ErrorBanner($('error-banner'));
const status = $('status');
const signInSection = $('sign-in');
const signInForm = $<HTMLFormElement>('sign-in-form');
const keyInput = $<HTMLInputElement>('key');
const connectButton = signInForm.querySelector('button') as HTMLButtonElement;
const app = $('app');
const signOut = $<HTMLButtonElement>('sign-out');
const filters = $<HTMLFormElement>('filters');
const tailSection = $('tail');

let api = new ApiClient('');
let socket: TailSocket | undefined;

const tail = new TailView(
  {
    rows: $('rows'),
    template: $<HTMLTemplateElement>('row-template'),
    pause: $<HTMLButtonElement>('pause'),
    count: $('tail-count'),
    dropped: $('dropped-banner'),
    droppedText: $('dropped-text'),
    droppedDismiss: $<HTMLButtonElement>('dropped-dismiss'),
  },
  (id) => void correlation.open(id),
);
const correlation = new CorrelationView(
  {
    dialog: $<HTMLDialogElement>('correlation-view'),
    title: $('corr-title'),
    status: $('corr-status'),
    entries: $<HTMLOListElement>('corr-entries'),
    close: $<HTMLButtonElement>('corr-close'),
  },
  () => api,
);
const stats = new StatsView(
  {
    range: $<HTMLFormElement>('range'),
    from: $<HTMLInputElement>('from'),
    to: $<HTMLInputElement>('to'),
    live: $<HTMLButtonElement>('range-live'),
    rangeLabel: $('range-label'),
    projects: $<HTMLUListElement>('projects'),
    projectsEmpty: $('projects-empty'),
  },
  new ChartView($('stats-chart'), $('chart'), $('chart-summary')),
  banner,
  () => api,
  (project) => {
    ($('f-project') as HTMLInputElement).value = project;
    applyFilter();
  },
);

$('zone').textContent = VIEWER_ZONE;

function currentFilter(): TailFilter {
  const filter: TailFilter = {};
  for (const name of FILTER_FIELDS) {
    const field = filters.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement | null;
    if (field !== null && field.value !== '') filter[name] = field.value;
  }
  return filter;
}

let appliedFilter = JSON.stringify({});
/** Re-subscribes when the filter changed; rows of the old filter are cleared. */
function applyFilter(): void {
  const filter = currentFilter();
  const text = JSON.stringify(filter);
  if (text === appliedFilter) return;
  appliedFilter = text;
  tail.clear();
  socket?.setFilter(filter);
}

let debounce: ReturnType<typeof setTimeout> | undefined;
filters.addEventListener('input', () => {
  clearTimeout(debounce);
  debounce = setTimeout(applyFilter, FILTER_DEBOUNCE_MS);
});
filters.addEventListener('change', applyFilter);
filters.addEventListener('submit', (event) => {
  event.preventDefault();
  applyFilter();
});

const STATE_TEXT: Record<ConnectionState, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
};

function showSignIn(message?: string): void {
  socket?.stop();
  socket = undefined;
  stats.stop();
  app.hidden = true;
  signOut.hidden = true;
  signInSection.hidden = false;
  status.textContent = 'Signed out';
  banner.clearAll();
  if (message !== undefined) banner.set('sign-in', message);
  keyInput.focus();
}

let signInRetry: ReturnType<typeof setTimeout> | undefined;

/** Checks the key over HTTP; on success keeps it for the tab and opens the live page. */
async function signIn(key: string, automatic: boolean): Promise<void> {
  clearTimeout(signInRetry);
  connectButton.disabled = true;
  status.textContent = 'Checking the key…';
  const candidate = new ApiClient(key);
  try {
    await candidate.checkKey();
  } catch (error) {
    connectButton.disabled = false;
    const refused = error instanceof ApiError && error.keyRefused;
    if (refused || !automatic) {
      if (refused) keyStore.forget();
      return showSignIn((error as Error).message);
    }
    // The key may well be fine and the service briefly away: try again as a reconnect would.
    banner.set('sign-in', `${(error as Error).message} Trying again…`);
    signInRetry = setTimeout(() => void signIn(key, true), 2000);
    return;
  }
  connectButton.disabled = false;
  keyStore.save(key);
  api = candidate;
  banner.clearAll();
  signInSection.hidden = true;
  app.hidden = false;
  signOut.hidden = false;
  keyInput.value = '';
  const url = `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}${wsPath}?apiKey=${encodeURIComponent(key)}`;
  socket = new TailSocket(url, api, {
    entry: (entry) => tail.add(entry),
    dropped: (count) => tail.dropped(count),
    // What the service applies, on the page for people (and tests) to see.
    subscribed: (filter) => (tailSection.dataset.subscribed = JSON.stringify(filter ?? {})),
    state: (state) => (status.textContent = STATE_TEXT[state]),
    connectionProblem: (message) =>
      message === null ? banner.clear('connection') : banner.set('connection', message),
    tailProblem: (message) =>
      message === null ? banner.clear('tail') : banner.set('tail', message),
    keyRefused: (message) => {
      keyStore.forget();
      showSignIn(message);
    },
  });
  appliedFilter = JSON.stringify(currentFilter());
  socket.start(currentFilter());
  stats.start();
}

signInForm.addEventListener('submit', (event) => {
  event.preventDefault();
  if (keyInput.value !== '') void signIn(keyInput.value, false);
});
signOut.addEventListener('click', () => {
  keyStore.forget();
  showSignIn();
});

const saved = keyStore.load();
if (saved !== null) void signIn(saved, true);
else keyInput.focus();
