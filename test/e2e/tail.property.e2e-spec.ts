import { isDeepStrictEqual } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { jest } from '@jest/globals';
import fc from 'fast-check';
import { hostileValues, type Hostile } from '../support/entry-arbitraries.js';
import { HOSTILE_SIZES } from '../support/frame-arbitraries.js';
import { httpGet } from '../support/http-get.js';
import { pbtParameters, PbtTally } from '../support/pbt-seed.js';
import { described, objectText, short, type Member } from '../support/protocol-oracle.js';
import { startRedis, stopAllRedis, type RedisServer } from '../support/redis-server.js';
import {
  READER_KEY,
  SERVICE_KEY,
  startService,
  stopAllServices,
  type ServiceProcess,
} from '../support/service-process.js';
import { readStored, type StoredEntry } from '../support/stored.js';
import { until } from '../support/tail-client.js';
import {
  openClient,
  terminateAllClients,
  type Reply,
  type WsClient,
} from '../support/ws-client.js';
import { clientFrame } from '../support/ws-frame.js';

/**
 * SPEC §3 live tail as a property over real sockets against the built service. Each run has a
 * few reader connections and a few producers, and goes through 2-3 phases: every subscriber
 * sends a random sequence of `subscribe` frames (valid filters drawn from small value pools, and
 * hostile ones) and `unsubscribe`, and each frame must get exactly one reply, in order: the
 * `subscribed` echo of exactly its filter, `unsubscribed`, or error 400. Then the producers send
 * `log` and `batch` frames of entries drawn from the same pools and wait for their acks; once the
 * pushes settle, each subscriber must have been pushed exactly the stored entries that match the
 * filter it had, once each, as stored, in each instance's store order. Once without Redis (one
 * instance), once with two instances sharing a throwaway Redis (subscribers on one of them,
 * producers on both).
 */

const params = pbtParameters(12);
/** A connection that owes replies gets this long for them; then the run fails as wedged. */
const REPLY_TIMEOUT_MS = 5000;
/** Pushes are settled once none arrived for this long after the expected count was reached. */
const QUIET_MS = 200;
/** fast-check stops starting runs (shrinks included) after this, before jest's timeout. */
const PROPERTY_BUDGET_MS = Math.max(25_000, params.numRuns * 2000);
jest.setTimeout(PROPERTY_BUDGET_MS + 30_000);
/** Problems reported per run at most: a counterexample stays readable. */
const MAX_PROBLEMS = 8;

// --- the filter fields and the small value pools entries and filters are drawn from ----------

const FIELDS = ['level', 'project', 'system', 'module', 'correlationId'] as const;
type Field = (typeof FIELDS)[number];
type Filter = Partial<Record<Field, string>>;

const POOLS: Readonly<Record<Field, readonly string[]>> = {
  level: ['info', 'warning', 'error'],
  project: ['p-a', 'p-b'],
  system: ['s-a', 's-b'],
  module: ['m-a', 'm-b'],
  correlationId: ['c-a', 'c-b'],
};

/** The filter as `subscribed` must echo it: the fields given, in the order of FIELDS. */
function ordered(filter: Filter): Filter {
  const out: Filter = {};
  for (const field of FIELDS) if (filter[field] !== undefined) out[field] = filter[field];
  return out;
}

/** SPEC §3: every field the filter names equals the entry's (AND of exact matches). */
function matches(filter: Filter, entry: StoredEntry): boolean {
  return FIELDS.every((f) => filter[f] === undefined || filter[f] === entry[f]);
}

// --- subscriber frames ---------------------------------------------------------------------

type TailExpect =
  | { readonly kind: 'subscribed'; readonly filter: Filter }
  | { readonly kind: 'unsubscribed' }
  | { readonly kind: 'error' };

interface TailFrame {
  readonly label: string;
  readonly text: string;
  readonly expect: TailExpect;
}

const tailFrame = (label: string, text: string, expect: TailExpect): TailFrame =>
  described({ label, text, expect }, label);

const subscribeText = (data: string | undefined) =>
  data === undefined ? '{"event":"subscribe"}' : `{"event":"subscribe","data":${data}}`;

/** Valid values outside the pools too: they are echoed, and match nothing (or a pool value). */
function filterValue(field: Field): fc.Arbitrary<string> {
  const pool = fc.constantFrom(...POOLS[field]);
  if (field === 'level') return pool;
  const other = fc.oneof(
    fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 12 }),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 16 }).map((s) => s.replaceAll('\0', '0')),
    // Exactly 128 code points, the astral ones two UTF-16 units each.
    fc.constantFrom('x'.repeat(128), '😀'.repeat(128)),
  );
  return fc.oneof({ weight: 6, arbitrary: pool }, { weight: 1, arbitrary: other });
}

/** Which fields a filter names, in the order sent: mostly one or two, so that it matches often. */
const filterKeys = (n: number, m: number) =>
  fc.shuffledSubarray([...FIELDS], { minLength: n, maxLength: m });

/** A valid filter: its members in a random order, and the echo it must get. */
const validFilter: fc.Arbitrary<{ filter: Filter; members: Member[] }> = fc
  .tuple(
    fc.record(
      {
        level: filterValue('level'),
        project: filterValue('project'),
        system: filterValue('system'),
        module: filterValue('module'),
        correlationId: filterValue('correlationId'),
      },
      { noNullPrototype: true },
    ),
    fc.oneof(
      { weight: 3, arbitrary: filterKeys(1, 1) },
      { weight: 3, arbitrary: filterKeys(2, 2) },
      { weight: 2, arbitrary: filterKeys(0, FIELDS.length) },
    ),
  )
  .map(([values, keys]) => {
    const filter: Filter = {};
    for (const key of keys) filter[key] = values[key];
    const members = keys.map((key): Member => [key, JSON.stringify(values[key])]);
    return { filter: ordered(filter), members };
  });

const validSubscribe: fc.Arbitrary<TailFrame> = fc.oneof(
  {
    weight: 12,
    arbitrary: validFilter.map(({ filter, members }) => {
      const data = objectText(members);
      return tailFrame(`sub ${short(data, 60)}`, subscribeText(data), {
        kind: 'subscribed',
        filter,
      });
    }),
  },
  // No data: no filter, every entry (TailFilterPipe).
  {
    weight: 1,
    arbitrary: fc.constant(
      tailFrame('sub (no data)', subscribeText(undefined), { kind: 'subscribed', filter: {} }),
    ),
  },
);

const UNKNOWN_KEYS = ['levle', 'Level', 'projects', 'PROJECT', ' project', 'project ', ''];
UNKNOWN_KEYS.push('action', 'timestamp', 'activeSession', 'filter', 'errorCode');
UNKNOWN_KEYS.push('constructor', 'toString', 'prototype', 'hasOwnProperty', '\ud800', '\u0000');

/** JSON texts no filter field may hold. */
function badValues(h: Hostile): string[] {
  const types = ['1', '0', '-1', '1.5', '1e400', 'true', 'false', '[]', '{}', '["p-a"]'];
  types.push('{"eq":"p-a"}', h.deepArray, h.deepObject);
  const strings = ['""', JSON.stringify('x'.repeat(129)), JSON.stringify('😀'.repeat(129))];
  strings.push(h.hugeAscii, h.hugeAstral, '"\\ud800"', '"ab\\udc00"', '"x\\ud83d"', '"a\\u0000b"');
  return [...types, ...strings];
}

const BAD_LEVELS = ['"debug"', '"INFO"', '"Error"', '"info "', '"warn"', '"p-a"'];

/** A valid filter with one member inserted at `at` (its place among the others). */
const insert = (members: readonly Member[], member: Member, at: number): Member[] => {
  const out = [...members];
  out.splice(at % (out.length + 1), 0, member);
  return out;
};

/** Subscribe frames with exactly one thing wrong: each must get 400, and change nothing. */
function badSubscribe(h: Hostile): fc.Arbitrary<TailFrame> {
  const bad = (label: string, data: string) =>
    tailFrame(`sub ✗ ${label}`, subscribeText(data), { kind: 'error' });
  const unknownKey = fc
    .tuple(validFilter, fc.constantFrom(...UNKNOWN_KEYS, h.hugeKey), fc.nat())
    .map(([{ members }, key, at]) =>
      bad(`key ${short(JSON.stringify(key), 16)}`, objectText(insert(members, [key, '"p-a"'], at))),
    );
  const protoKey = fc
    .tuple(validFilter, fc.constantFrom('{"project":"p-a"}', '{}', 'null', '"p-a"'), fc.nat())
    .map(([{ members }, value, at]) =>
      bad(`__proto__=${value}`, objectText(insert(members, ['__proto__', value], at))),
    );
  const wrongValue = fc
    .tuple(validFilter, fc.constantFrom(...FIELDS), fc.nat())
    .chain(([base, field, at]) => {
      const values = field === 'level' ? [...BAD_LEVELS, ...badValues(h)] : badValues(h);
      return fc.constantFrom(...values).map((value) => {
        const others = base.members.filter(([k]) => k !== field);
        return bad(`${field}=${short(value, 16)}`, objectText(insert(others, [field, value], at)));
      });
    });
  // `{"a":{"a":...}}` 10,000 deep: an object, but its one key is unknown.
  const notObject = fc
    .constantFrom('[]', '["project"]', '[{"project":"p-a"}]', '1', '-1', '"project"', '""', 'true')
    .chain((text) => fc.constantFrom(text, text, text, h.deepArray, h.deepObject))
    .map((data) => bad(`data ${short(data, 16)}`, data));
  return fc.oneof(unknownKey, protoKey, wrongValue, notObject);
}

function tailFrameArbitrary(h: Hostile): fc.Arbitrary<TailFrame> {
  const unsubscribe = fc.constantFrom(
    tailFrame('unsub', '{"event":"unsubscribe"}', { kind: 'unsubscribed' }),
    tailFrame('unsub {}', '{"event":"unsubscribe","data":{}}', { kind: 'unsubscribed' }),
  );
  return fc.oneof(
    { weight: 6, arbitrary: validSubscribe },
    { weight: 3, arbitrary: badSubscribe(h) },
    { weight: 2, arbitrary: unsubscribe },
  );
}

/**
 * How a connection's frames go out: all in one raw write (one server read), one `send` each in
 * the same tick, or each awaited (its reply in) before the next.
 */
type SendMode = 'joined' | 'sent' | 'awaited';

interface SubscriberStep {
  readonly mode: SendMode;
  readonly frames: readonly TailFrame[];
}

// --- producer frames -----------------------------------------------------------------------

/** The correlationId an entry carries: its own marker, a pool value, or none (a server UUID). */
const MARKER = 'marker';
const ABSENT = 'absent';

interface EntryDraft {
  readonly fields: Readonly<Record<'level' | 'project' | 'system' | 'module', string>>;
  readonly correlation: string;
  readonly timestamp: boolean;
  /** What makes the entry invalid (it must then be rejected, never stored nor pushed). */
  readonly bad: 'level' | 'project' | 'module' | null;
}

const entryDraft: fc.Arbitrary<EntryDraft> = fc
  .record(
    {
      fields: fc.record(
        {
          level: fc.constantFrom(...POOLS.level),
          project: fc.constantFrom(...POOLS.project),
          system: fc.constantFrom(...POOLS.system),
          module: fc.constantFrom(...POOLS.module),
        },
        { noNullPrototype: true },
      ),
      correlation: fc.constantFrom(MARKER, ABSENT, ...POOLS.correlationId),
      timestamp: fc.boolean(),
      bad: fc.oneof(
        { weight: 12, arbitrary: fc.constant(null) },
        {
          weight: 1,
          arbitrary: fc.constantFrom('level' as const, 'project' as const, 'module' as const),
        },
      ),
    },
    { noNullPrototype: true },
  )
  .map((d) => described(d, draftLabel(d)));

function draftLabel(d: EntryDraft): string {
  const f = d.fields;
  const label = `${f.level}/${f.project}/${f.system}/${f.module}/${d.correlation}`;
  return d.bad ? `${label} ✗${d.bad}` : label;
}

/** The entry's JSON text; `marker` is its `action`, and its correlationId if it carries one. */
function renderEntry(d: EntryDraft, marker: string): string {
  const entry: Record<string, unknown> = {};
  if (d.timestamp) entry.timestamp = '2026-01-21T10:30:00.000+01:00';
  if (d.correlation === MARKER) entry.correlationId = marker;
  else if (d.correlation !== ABSENT) entry.correlationId = d.correlation;
  entry.level = d.bad === 'level' ? 'debug' : d.fields.level;
  entry.project = d.bad === 'project' ? '' : d.fields.project;
  entry.system = d.fields.system;
  if (d.bad !== 'module') entry.module = d.fields.module;
  entry.action = marker;
  return JSON.stringify(entry);
}

type ProducerFrame =
  | { readonly kind: 'log'; readonly entry: EntryDraft }
  | { readonly kind: 'batch'; readonly entries: readonly EntryDraft[] };

const producerFrame: fc.Arbitrary<ProducerFrame> = fc.oneof(
  entryDraft.map((entry) => described({ kind: 'log' as const, entry }, `log ${draftLabel(entry)}`)),
  fc
    .array(entryDraft, { minLength: 1, maxLength: 10 })
    .map((entries) =>
      described(
        { kind: 'batch' as const, entries },
        `batch[${entries.map(draftLabel).join(', ')}]`,
      ),
    ),
);

interface ProducerStep {
  readonly joined: boolean;
  readonly frames: readonly ProducerFrame[];
}

// --- a run -----------------------------------------------------------------------------------

interface Phase {
  readonly subscribers: readonly SubscriberStep[];
  readonly producers: readonly ProducerStep[];
}

interface RunCase {
  readonly phases: readonly Phase[];
}

/** 1-5 subscribers, `instances`..3 producers (spread over the instances), 2-3 phases. */
function runArbitrary(instances: number): fc.Arbitrary<RunCase> {
  const h = hostileValues(HOSTILE_SIZES);
  const subscriberStep = fc.record(
    {
      mode: fc.constantFrom<SendMode>('joined', 'sent', 'awaited'),
      frames: fc.array(tailFrameArbitrary(h), { maxLength: 5 }),
    },
    { noNullPrototype: true },
  );
  const producerStep = fc.record(
    { joined: fc.boolean(), frames: fc.array(producerFrame, { maxLength: 6 }) },
    { noNullPrototype: true },
  );
  return fc
    .tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: instances, max: 3 }))
    .chain(([subscribers, producers]) => {
      const phase = fc.record(
        {
          subscribers: fc.array(subscriberStep, { minLength: subscribers, maxLength: subscribers }),
          producers: fc.array(producerStep, { minLength: producers, maxLength: producers }),
        },
        { noNullPrototype: true },
      );
      return fc.array(phase, { minLength: 2, maxLength: 3 });
    })
    .map((phases) => ({ phases }));
}

// --- talking to the service ----------------------------------------------------------------

/** Where a run's connections go: subscribers on one instance, producer k on instance k % n. */
interface Topology {
  readonly subscriberOn: ServiceProcess;
  readonly producerOn: readonly ServiceProcess[];
}

const reader = (s: ServiceProcess) =>
  openClient(s.wsUrl(), { headers: { 'x-api-key': READER_KEY.key } });
const producer = (s: ServiceProcess) =>
  openClient(s.wsUrl(), { headers: { 'x-api-key': SERVICE_KEY.key } });

/** Sends `texts` as `mode` says; `awaited` waits for each reply (bounded) before the next. */
async function sendFrames(client: WsClient, texts: readonly string[], mode: SendMode) {
  if (texts.length === 0) return;
  if (mode === 'joined') {
    client.writeRaw(Buffer.concat(texts.map((t) => clientFrame(t))));
    return;
  }
  const base = client.replies.length;
  for (let i = 0; i < texts.length; i++) {
    client.send(texts[i]);
    if (mode === 'awaited') await until(() => client.replies.length > base + i, REPLY_TIMEOUT_MS);
  }
}

/** Resolves once `client` has `n` replies past `from`, or it closed, or the time is up. */
async function awaitReplies(client: WsClient, from: number, n: number): Promise<Reply[]> {
  let closed = false;
  void client.closed.then(() => (closed = true));
  await until(() => closed || client.replies.length >= from + n, REPLY_TIMEOUT_MS);
  return client.replies.slice(from);
}

const brief = (reply: Reply | undefined) =>
  reply === undefined ? 'nothing' : short(JSON.stringify(reply), 160);

function tailReplyProblem(expect: TailExpect, reply: Reply): string {
  switch (expect.kind) {
    case 'subscribed': {
      const want = { event: 'subscribed', data: { filter: expect.filter } };
      if (!isDeepStrictEqual(reply, want)) return `expected ${short(JSON.stringify(want), 160)}`;
      // Deep equality ignores key order; the echo's order is part of the contract.
      const order = Object.keys(reply.data.filter as object).join();
      return order === Object.keys(expect.filter).join() ? '' : `filter fields in order ${order}`;
    }
    case 'unsubscribed':
      return isDeepStrictEqual(reply, { event: 'unsubscribed', data: {} })
        ? ''
        : 'expected unsubscribed';
    case 'error':
      if (reply.event !== 'error' || reply.data.status !== 400) return 'expected error 400';
      return typeof reply.data.message === 'string' ? '' : 'error without a message';
  }
}

/** The filter after a step: the last valid subscribe's, none after an unsubscribe. */
function filterAfter(before: Filter | null, frames: readonly TailFrame[]): Filter | null {
  let filter = before;
  for (const { expect } of frames) {
    if (expect.kind === 'subscribed') filter = expect.filter;
    else if (expect.kind === 'unsubscribed') filter = null;
  }
  return filter;
}

/** One subscriber's step: exactly one reply per frame, in order, and no push meanwhile. */
async function subscriberStep(client: WsClient, step: SubscriberStep, name: string) {
  const from = client.replies.length;
  await sendFrames(
    client,
    step.frames.map((f) => f.text),
    step.mode,
  );
  const replies = await awaitReplies(client, from, step.frames.length);
  const problems: string[] = [];
  if (replies.length !== step.frames.length) {
    problems.push(
      `${name}: ${replies.length} replies to ${step.frames.length} frames (${step.mode})`,
    );
  }
  step.frames.forEach((frame, i) => {
    const problem = replies[i] ? tailReplyProblem(frame.expect, replies[i]) : 'no reply';
    if (problem !== '') {
      problems.push(
        `${name} #${i} ${frame.label} (${step.mode}): ${problem}; got ${brief(replies[i])}`,
      );
    }
  });
  return problems;
}

/** A producer frame ready to send: its text, its expected reply, its valid entries' markers. */
interface SentFrame {
  readonly label: string;
  readonly text: string;
  readonly seq: number | undefined;
  readonly rejected: readonly number[];
  readonly stores: readonly string[];
}

function renderProducerFrames(step: ProducerStep, prefix: string): SentFrame[] {
  return step.frames.map((frame, i) => {
    const drafts = frame.kind === 'log' ? [frame.entry] : frame.entries;
    const markers = drafts.map((_, j) => `${prefix}.${i}.${j}`);
    const texts = drafts.map((d, j) => renderEntry(d, markers[j]));
    const rejected = drafts.flatMap((d, j) => (d.bad ? [j] : []));
    const stores = markers.filter((_, j) => !drafts[j].bad);
    const label = `#${i} ${frame.kind === 'log' ? `log ${draftLabel(frame.entry)}` : `batch of ${frame.entries.length}`}`;
    if (frame.kind === 'log') {
      return {
        label,
        text: `{"event":"log","data":${texts[0]}}`,
        seq: undefined,
        rejected,
        stores,
      };
    }
    const text = `{"event":"batch","data":{"seq":${i + 1},"entries":[${texts.join(',')}]}}`;
    return { label, text, seq: i + 1, rejected, stores };
  });
}

function producerReplyProblem(frame: SentFrame, reply: Reply): string {
  if (frame.seq === undefined) {
    const ok =
      frame.rejected.length === 0
        ? isDeepStrictEqual(reply, { event: 'ack', data: { accepted: 1 } })
        : reply.event === 'error' && reply.data.status === 400;
    return ok ? '' : frame.rejected.length === 0 ? 'expected the ack' : 'expected error 400';
  }
  const indexes = (reply.data.rejected ?? []).map((r) => r.index);
  const ok =
    reply.event === 'ack' &&
    reply.data.seq === frame.seq &&
    reply.data.accepted === frame.stores.length &&
    isDeepStrictEqual(indexes, frame.rejected);
  return ok
    ? ''
    : `expected ack seq ${frame.seq} accepted ${frame.stores.length} rejected ${JSON.stringify(frame.rejected)}`;
}

/** One producer's step: every frame acked (or refused) exactly once, in order. */
async function producerStep(
  client: WsClient,
  frames: readonly SentFrame[],
  joined: boolean,
  name: string,
) {
  const from = client.replies.length;
  await sendFrames(
    client,
    frames.map((f) => f.text),
    joined ? 'joined' : 'sent',
  );
  const replies = await awaitReplies(client, from, frames.length);
  const problems: string[] = [];
  if (replies.length !== frames.length) {
    problems.push(`${name}: ${replies.length} replies to ${frames.length} frames`);
  }
  frames.forEach((frame, i) => {
    const problem = replies[i] ? producerReplyProblem(frame, replies[i]) : 'no reply';
    if (problem !== '')
      problems.push(`${name} ${frame.label}: ${problem}; got ${brief(replies[i])}`);
  });
  return problems;
}

// --- the pushes ------------------------------------------------------------------------------

/** A stored entry of the current phase and the instance (its index) that stored it. */
interface StoredOf {
  readonly entry: StoredEntry;
  readonly source: number;
}

/** The phase's stored entries of every instance, each instance's in its store (file) order. */
async function storedOfPhase(instances: readonly ServiceProcess[], prefix: string) {
  const out: StoredOf[] = [];
  for (const [source, service] of instances.entries()) {
    for (const entry of await readStored(service.logDir)) {
      if (String(entry.action).startsWith(prefix)) out.push({ entry, source });
    }
  }
  return out;
}

/** Stored = the valid entries of the acked frames (SPEC §3), the basis of what must be pushed. */
function storeProblems(stored: readonly StoredOf[], sent: readonly SentFrame[][]): string[] {
  const got = stored.map((s) => s.entry.action).sort();
  const want = sent
    .flat()
    .flatMap((f) => f.stores)
    .sort();
  if (isDeepStrictEqual(got, want)) return [];
  return [`stored ${got.length} entries of the phase, ${want.length} acked valid ones were sent`];
}

/** Waits until each subscriber has its expected count (bounded), then until none comes for a while. */
async function settlePushes(
  clients: readonly WsClient[],
  from: readonly number[],
  counts: number[],
) {
  const since = (k: number) => clients[k].replies.length - from[k];
  await until(() => clients.every((_, k) => since(k) >= counts[k]), REPLY_TIMEOUT_MS);
  const total = () => clients.reduce((n, c) => n + c.replies.length, 0);
  const deadline = Date.now() + 10 * QUIET_MS;
  let seen = total();
  let quietSince = Date.now();
  while (Date.now() - quietSince < QUIET_MS && Date.now() < deadline) {
    await sleep(20);
    if (total() !== seen) [seen, quietSince] = [total(), Date.now()];
  }
}

const markersList = (markers: readonly string[]) =>
  `${JSON.stringify(markers.slice(0, 5))}${markers.length > 5 ? `…(${markers.length})` : ''}`;

/** Pushed markers against the expected ones: none twice, none missing, none foreign. */
function membershipProblem(got: readonly string[], want: readonly string[], prefix: string) {
  const wanted = new Set(want);
  const counts = new Map<string, number>();
  for (const m of got) counts.set(m, (counts.get(m) ?? 0) + 1);
  const twice = [...counts].filter(([, n]) => n > 1).map(([m]) => m);
  const missing = want.filter((m) => !counts.has(m));
  const unmatched = got.filter((m) => !wanted.has(m) && m.startsWith(prefix));
  const foreign = got.filter((m) => !wanted.has(m) && !m.startsWith(prefix));
  if (twice.length + missing.length + unmatched.length + foreign.length === 0) return '';
  return (
    `pushed ${got.length}, expected ${want.length}: twice ${markersList(twice)}, ` +
    `never ${markersList(missing)}, not matching ${markersList(unmatched)}, ` +
    `not of this phase ${markersList(foreign)}`
  );
}

/** Each instance's entries reach the subscriber in the order that instance stored them. */
function orderProblems(got: readonly string[], expected: readonly StoredOf[]): string[] {
  const sourceOf = new Map(expected.map((s) => [s.entry.action, s.source]));
  return [...new Set(expected.map((s) => s.source))].flatMap((source) => {
    const want = expected.filter((s) => s.source === source).map((s) => s.entry.action);
    const mine = got.filter((m) => sourceOf.get(m) === source);
    if (isDeepStrictEqual(mine, want)) return [];
    const at = want.findIndex((m, i) => mine[i] !== m);
    return [
      `instance ${source}'s entries out of store order at ${at}: ${markersList(mine.slice(at))}`,
    ];
  });
}

/** Every push is the stored line, field for field and in the stored field order. */
function contentProblems(logs: readonly Reply[], expected: readonly StoredOf[]): string[] {
  const storedAs = new Map(expected.map((s) => [s.entry.action, JSON.stringify(s.entry)]));
  const differs = logs.find((r) => {
    const stored = storedAs.get(String(r.data.action));
    return stored !== undefined && stored !== JSON.stringify(r.data);
  });
  if (differs === undefined) return [];
  const action = String(differs.data.action);
  return [
    `push of ${action} is not the stored line: ${brief(differs)} vs ${short(storedAs.get(action)!, 160)}`,
  ];
}

/** The pushes a subscriber got in the phase against the stored entries its filter matches. */
function pushProblems(
  name: string,
  filter: Filter | null,
  pushes: readonly Reply[],
  expected: readonly StoredOf[],
  prefix: string,
): string[] {
  const who = `${name} (filter ${filter === null ? 'none' : short(JSON.stringify(filter), 80)})`;
  const problems: string[] = [];
  const others = pushes.filter((r) => r.event !== 'log');
  if (others.length > 0) {
    problems.push(`${who}: ${others.length} events besides the pushes, first ${brief(others[0])}`);
  }
  const logs = pushes.filter((r) => r.event === 'log');
  const got = logs.map((r) => String(r.data.action));
  const membership = membershipProblem(
    got,
    expected.map((s) => s.entry.action),
    prefix,
  );
  if (membership !== '') problems.push(`${who}: ${membership}`);
  for (const p of [...orderProblems(got, expected), ...contentProblems(logs, expected)]) {
    problems.push(`${who}: ${p}`);
  }
  return problems;
}

// --- a run, phase by phase -----------------------------------------------------------------

/** What a property's runs exercised, printed beside the tally. */
class TailStats {
  pushes = 0;
  subscribes = 0;
  refused = 0;

  constructor(private readonly name: string) {}

  count(phase: Phase, pushes: number): void {
    const frames = phase.subscribers.flatMap((s) => s.frames);
    this.subscribes += frames.filter((f) => f.expect.kind !== 'unsubscribed').length;
    this.refused += frames.filter((f) => f.expect.kind === 'error').length;
    this.pushes += pushes;
  }

  print(): void {
    console.log(
      `${this.name}: ${this.pushes} pushes checked against the stored lines; ` +
        `${this.subscribes} subscribe frames, ${this.refused} of them refused with 400`,
    );
  }
}

interface RunState {
  readonly instances: readonly ServiceProcess[];
  readonly subscribers: readonly WsClient[];
  readonly producers: readonly WsClient[];
  /** Each subscriber's filter now: null when it has none. */
  readonly filters: (Filter | null)[];
  readonly stats: TailStats;
}

/** Every subscriber's step at once; then each one's filter is what its frames left. */
async function subscribeAll(state: RunState, phase: Phase): Promise<string[]> {
  const problems = await Promise.all(
    phase.subscribers.map((step, k) =>
      subscriberStep(state.subscribers[k], step, `subscriber ${k}`),
    ),
  );
  phase.subscribers.forEach((step, k) => {
    state.filters[k] = filterAfter(state.filters[k], step.frames);
  });
  return problems.flat();
}

/** Every producer's step at once: the frames sent, and the problems of their replies. */
async function produceAll(state: RunState, phase: Phase, prefix: string) {
  const sent = phase.producers.map((step, k) => renderProducerFrames(step, `${prefix}${k}`));
  const problems = await Promise.all(
    phase.producers.map((step, k) => {
      const name = `producer ${k} (instance ${k % state.instances.length})`;
      return producerStep(state.producers[k], sent[k], step.joined, name);
    }),
  );
  return { sent, problems: problems.flat() };
}

/** Subscribe step, produce step, settle, check: the problems of one phase. */
async function runPhase(state: RunState, phase: Phase, prefix: string): Promise<string[]> {
  const refused = await subscribeAll(state, phase);
  if (refused.length > 0) return refused;
  const from = state.subscribers.map((c) => c.replies.length);
  const { sent, problems } = await produceAll(state, phase, prefix);
  if (problems.length > 0) return problems;

  const stored = await storedOfPhase(state.instances, prefix);
  const expected = state.filters.map((f) =>
    f === null ? [] : stored.filter((s) => matches(f, s.entry)),
  );
  const counts = expected.map((e) => e.length);
  await settlePushes(state.subscribers, from, counts);
  state.stats.count(
    phase,
    counts.reduce((n, c) => n + c, 0),
  );
  return [
    ...storeProblems(stored, sent),
    ...state.subscribers.flatMap((client, k) => {
      const pushes = client.replies.slice(from[k]);
      return pushProblems(`subscriber ${k}`, state.filters[k], pushes, expected[k], prefix);
    }),
  ];
}

async function runCase(
  topology: Topology,
  run: RunCase,
  prefix: string,
  stats: TailStats,
): Promise<string[]> {
  const instances = [...new Set(topology.producerOn)];
  try {
    const subscribers = await Promise.all(
      run.phases[0].subscribers.map(() => reader(topology.subscriberOn)),
    );
    const producers = await Promise.all(
      run.phases[0].producers.map((_, k) =>
        producer(topology.producerOn[k % topology.producerOn.length]),
      ),
    );
    const state: RunState = {
      instances,
      subscribers,
      producers,
      filters: subscribers.map(() => null),
      stats,
    };
    for (const [p, phase] of run.phases.entries()) {
      const problems = await runPhase(state, phase, `${prefix}-${p}-`);
      if (problems.length > 0) return problems.map((problem) => `phase ${p}: ${problem}`);
    }
    return [];
  } finally {
    terminateAllClients();
  }
}

/** Each process serves on: `GET /health/live` answers 200 (SPEC §4). */
async function livenessProblems(instances: readonly ServiceProcess[]): Promise<string[]> {
  const problems: string[] = [];
  for (const [i, service] of instances.entries()) {
    const live = await httpGet(`${service.httpUrl}/health/live`).catch(() => undefined);
    if (live?.status === 200) continue;
    await Promise.race([service.exited, sleep(1000)]);
    const exit = service.isRunning
      ? 'still running'
      : `exited ${JSON.stringify(await service.exited)}`;
    problems.push(
      `instance ${i}: GET /health/live ${live?.status ?? 'no answer'}; ${exit}; stderr ends:\n${service.stderr.slice(-800)}`,
    );
  }
  return problems;
}

const framesOf = (run: RunCase) =>
  run.phases.reduce(
    (n, p) =>
      n +
      p.subscribers.reduce((m, s) => m + s.frames.length, 0) +
      p.producers.reduce((m, s) => m + s.frames.length, 0),
    0,
  );

/** The property of one topology; `topology()` (re)starts what a run needs. */
async function assertTailProperty(
  name: string,
  instances: number,
  topology: () => Promise<Topology>,
  tally: PbtTally,
  stats: TailStats,
): Promise<void> {
  let run = 0;
  const property = fc.asyncProperty(runArbitrary(instances), async (c) => {
    // Arrange
    const current = await topology();
    run++;
    tally.count(framesOf(c));

    // Act
    const problems = await runCase(current, c, `${name}-${run}`, stats);

    // Assert
    problems.push(...(await livenessProblems([...new Set(current.producerOn)])));
    if (problems.length > MAX_PROBLEMS) {
      problems.splice(MAX_PROBLEMS, Infinity, `…and ${problems.length - MAX_PROBLEMS} more`);
    }
    if (problems.length > 0) throw new Error(problems.join('\n'));
  });
  await fc.assert(property, {
    ...params,
    plugins: [fc.interruptAfterTimeLimit(PROPERTY_BUDGET_MS)],
  });
}

const PROPERTY =
  'answers every subscribe/unsubscribe once, in order, and pushes exactly the matching stored entries, once each, in store order';

afterAll(async () => {
  await stopAllServices();
  await stopAllRedis();
});

describe('SPEC §3 live tail as a property, one instance without Redis', () => {
  const tally = new PbtTally('tail property, one instance (e2e)', params.seed);
  const stats = new TailStats('tail property, one instance (e2e)');
  let service: ServiceProcess | undefined;

  afterAll(() => {
    tally.print();
    stats.print();
  });

  it(PROPERTY, async () => {
    await assertTailProperty(
      'tpa',
      1,
      async () => {
        if (!service?.isRunning) {
          await service?.cleanup();
          service = await startService();
        }
        return { subscriberOn: service, producerOn: [service] };
      },
      tally,
      stats,
    );
  });
});

describe('SPEC §3 live tail as a property, two instances sharing Redis', () => {
  const tally = new PbtTally('tail property, two instances + Redis (e2e)', params.seed);
  const stats = new TailStats('tail property, two instances + Redis (e2e)');
  let redis: RedisServer | undefined;
  let a: ServiceProcess | undefined;
  let b: ServiceProcess | undefined;

  afterAll(() => {
    tally.print();
    stats.print();
  });

  it(PROPERTY, async () => {
    await assertTailProperty(
      'tpb',
      2,
      async () => {
        if (!a?.isRunning || !b?.isRunning) {
          await Promise.all([a?.cleanup(), b?.cleanup()]);
          redis ??= await startRedis();
          const env = { env: { REDIS_URL: redis.url } };
          [a, b] = await Promise.all([startService(env), startService(env)]);
        }
        // Subscribers on B; producers on A and B, so B hears its own entries through Redis too.
        return { subscriberOn: b, producerOn: [a, b] };
      },
      tally,
      stats,
    );
  });
});
