import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { STORED_FIELD_ORDER } from './entries.js';

/**
 * The expected answers of SPEC §3, decided by how a frame was built (never by asking the
 * product's checker), and the checks of real replies and stored lines against them. Shared by
 * the unit and the e2e protocol properties.
 */

/** The reply class a frame must get. */
export type ExpectedReply =
  | { readonly kind: 'ack' }
  | {
      readonly kind: 'batch-ack';
      /** Echoed seq; undefined when the frame's seq was absent or null (no seq in the ack). */
      readonly seq: number | undefined;
      readonly size: number;
      /** Indexes of the invalid entries, ascending. */
      readonly rejected: readonly number[];
    }
  | { readonly kind: 'error'; readonly status: 400 | 403; readonly withErrors: boolean };

/** One object member as JSON text: a key and the raw JSON text of its value. */
export type Member = readonly [key: string, json: string];

/** A LogEntry as sent: its text once it carries its marker, and what it must be stored as. */
export interface EntrySpec {
  readonly label: string;
  /** The contract fields a valid entry is stored with (its marker aside); null: invalid. */
  readonly stored: Readonly<Record<string, unknown>> | null;
  /** The entry's JSON text with `marker` as its correlationId (when it has a correlationId). */
  readonly render: (marker: string) => string;
}

/** A frame as generated: its shape, its expected reply, and the entries inside it. */
export interface FrameSpec {
  readonly label: string;
  readonly binary: boolean;
  readonly expect: ExpectedReply;
  /** The entries in the frame; the valid ones are stored only when the frame is acked. */
  readonly entries: readonly EntrySpec[];
  /** The frame's text, given the texts of its entries. */
  readonly text: (entryTexts: readonly string[]) => string;
}

/** An invalid entry (or a batch of a bad shape): 400 with the fields' errors. */
export const BAD_ENTRY: ExpectedReply = { kind: 'error', status: 400, withErrors: true };
/** A frame that is not a frame of SPEC §3 at all: 400. */
export const BAD_FRAME: ExpectedReply = { kind: 'error', status: 400, withErrors: false };
/** A frame that needs a scope the key lacks: 403. */
export const FORBIDDEN: ExpectedReply = { kind: 'error', status: 403, withErrors: false };

/** A FrameSpec that fast-check reports by its label. */
export function frameSpec(
  label: string,
  expect: ExpectedReply,
  entries: readonly EntrySpec[],
  text: (entryTexts: readonly string[]) => string,
  binary = false,
): FrameSpec {
  return described({ label, binary, expect, entries, text }, label);
}

/** An entry the service must store for an acked frame. */
export interface ExpectedEntry {
  readonly marker: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

/** A frame ready to send, with everything the oracle needs to judge what happens to it. */
export interface FrameCase {
  readonly label: string;
  readonly data: Buffer;
  readonly binary: boolean;
  readonly expect: ExpectedReply;
  readonly stores: readonly ExpectedEntry[];
}

/** `{...members}` as JSON text, members in order. */
export function objectText(members: readonly Member[]): string {
  return `{${members.map(([key, json]) => `${JSON.stringify(key)}:${json}`).join(',')}}`;
}

/** A short form of JSON text for labels: counterexamples stay readable whatever the value. */
export function short(text: string, max = 24): string {
  if (text.length <= max) return text;
  let end = max - 8;
  // Never end inside a surrogate pair: the label itself must print.
  const unit = text.charCodeAt(end - 1);
  if (unit >= 0xd800 && unit <= 0xdbff) end--;
  return `${text.slice(0, end)}…(${text.length})`;
}

/** Gives a generated value a short description in fast-check's counterexample reports. */
export function described<T extends object>(value: T, label: string): T {
  return Object.assign(value, { [fc.toStringMethod]: () => label });
}

/**
 * Turns generated frames into frames to send: every entry gets the marker `${prefix}-i.j` as its
 * correlationId (frame i, entry j), so stored lines can be matched to the frames that acked them.
 */
export function renderFrames(specs: readonly FrameSpec[], prefix: string): FrameCase[] {
  return specs.map((spec, i) => {
    const markers = spec.entries.map((_, j) => `${prefix}-${i}.${j}`);
    const texts = spec.entries.map((entry, j) => entry.render(markers[j]));
    const stores: ExpectedEntry[] = [];
    if (spec.expect.kind !== 'error') {
      spec.entries.forEach((entry, j) => {
        if (entry.stored) stores.push({ marker: markers[j], fields: entry.stored });
      });
    }
    const data = Buffer.from(spec.text(texts), 'utf8');
    return { label: `#${i} ${spec.label}`, data, binary: spec.binary, expect: spec.expect, stores };
  });
}

type Json = Record<string, unknown>;

/** Replies and frames are compared one by one; a report names this many problems at most. */
const MAX_PROBLEMS = 5;

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function parseReply(raw: string): Json | undefined {
  try {
    const value: unknown = JSON.parse(raw);
    return isObject(value) && isObject(value.data) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** SPEC §3's FieldError list: non-empty, each `{field, message}` with strings. */
function isErrorList(value: unknown): boolean {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((e) => isObject(e) && typeof e.field === 'string' && typeof e.message === 'string')
  );
}

function batchAckProblem(expected: ExpectedReply & { kind: 'batch-ack' }, data: Json): string {
  const rejected = Array.isArray(data.rejected) ? (data.rejected as unknown[]) : undefined;
  if (!rejected) return 'no rejected list';
  const indexes = rejected.map((r) => (isObject(r) ? r.index : undefined));
  if (!isDeepStrictEqual(indexes, expected.rejected)) {
    return `rejected indexes ${JSON.stringify(indexes)}, expected ${JSON.stringify(expected.rejected)}`;
  }
  if (!rejected.every((r) => isObject(r) && isErrorList(r.errors)))
    return 'a rejection has no errors';
  if (data.accepted !== expected.size - expected.rejected.length) {
    return `accepted ${String(data.accepted)} of ${expected.size} with ${expected.rejected.length} rejected`;
  }
  if (data.seq !== expected.seq || (expected.seq === undefined && 'seq' in data)) {
    return `seq ${JSON.stringify(data.seq)}, expected ${JSON.stringify(expected.seq)}`;
  }
  return '';
}

/** What is wrong with `raw` as the reply to a frame that expects `expected`; '' when right. */
export function replyProblem(expected: ExpectedReply, raw: string): string {
  const reply = parseReply(raw);
  if (!reply) return 'not a JSON {event, data} object';
  const data = reply.data as Json;
  switch (expected.kind) {
    case 'ack':
      return isDeepStrictEqual(reply, { event: 'ack', data: { accepted: 1 } }) ? '' : 'not the ack';
    case 'batch-ack':
      return reply.event === 'ack' ? batchAckProblem(expected, data) : 'not an ack';
    case 'error':
      if (reply.event !== 'error' || data.status !== expected.status) {
        return 'another event or status';
      }
      if (typeof data.message !== 'string') return 'error without a message';
      return expected.withErrors && !isErrorList(data.errors) ? 'error without errors' : '';
  }
}

function describeExpected(expected: ExpectedReply): string {
  if (expected.kind === 'error') return `error ${expected.status}`;
  if (expected.kind === 'ack') return 'ack';
  return `batch ack seq=${String(expected.seq)} rejected=${JSON.stringify(expected.rejected)}`;
}

/**
 * Exactly one reply per frame, in frame order, each of its frame's class: the problems found,
 * each naming the frame (by label) and the reply (cut short), at most MAX_PROBLEMS of them.
 */
export function replyProblems(frames: readonly FrameCase[], replies: readonly string[]): string[] {
  const problems: string[] = [];
  if (replies.length !== frames.length) {
    problems.push(`${replies.length} replies to ${frames.length} frames`);
  }
  for (let i = 0; i < frames.length && problems.length < MAX_PROBLEMS; i++) {
    const raw = replies[i];
    const problem = raw === undefined ? 'no reply' : replyProblem(frames[i].expect, raw);
    if (problem !== '') {
      const got = raw === undefined ? '' : `; got ${short(raw, 160)}`;
      problems.push(`${frames[i].label}: ${problem} (${describeExpected(frames[i].expect)})${got}`);
    }
  }
  return problems;
}

/** The receipt time the service stamps on an entry sent without a timestamp (SPEC §1). */
const ISO_UTC_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function markerProblems(expected: readonly string[], got: readonly string[]): string[] {
  if (isDeepStrictEqual(expected, got)) return [];
  const counts = new Map<string, number>();
  for (const marker of got) counts.set(marker, (counts.get(marker) ?? 0) + 1);
  const wanted = new Set(expected);
  const twice = [...counts].filter(([, n]) => n > 1).map(([m]) => m);
  const missing = expected.filter((m) => !counts.has(m));
  const extra = got.filter((m) => !wanted.has(m));
  const differs = expected.findIndex((m, i) => got[i] !== m);
  const at = differs === -1 ? expected.length : differs;
  const list = (ms: readonly string[]) => JSON.stringify(ms.slice(0, 8));
  return [
    `stored ${got.length} entries, expected ${expected.length}; first difference at ${at}` +
      ` (expected ${String(expected[at])}, got ${String(got[at])})`,
    `stored twice: ${list(twice)}; never stored: ${list(missing)}; stored unacked: ${list(extra)}`,
  ];
}

/** What is wrong with one stored line, given the entry it must be. */
function entryProblem(want: ExpectedEntry, got: Json, sessionProblem: SessionCheck): string {
  const order = STORED_FIELD_ORDER.filter((key) => key in got);
  if (!isDeepStrictEqual(Object.keys(got), order)) return `fields ${Object.keys(got).join(',')}`;
  for (const key of STORED_FIELD_ORDER) {
    if (key === 'correlationId') continue;
    if (key === 'activeSession') {
      const problem = sessionProblem(got.activeSession);
      if (problem !== '')
        return `activeSession ${short(JSON.stringify(got.activeSession), 80)}: ${problem}`;
    } else if (key === 'timestamp' && want.fields.timestamp === undefined) {
      if (typeof got.timestamp !== 'string' || !ISO_UTC_MS.test(got.timestamp)) return 'timestamp';
    } else if (!isDeepStrictEqual(got[key], want.fields[key])) {
      return `${key} ${short(JSON.stringify(got[key]) ?? 'absent', 40)}`;
    }
  }
  return '';
}

/** '' when a stored entry's activeSession is the one the server must have set. */
export type SessionCheck = (session: unknown) => string;

/**
 * Stored = the valid entries of the acked frames, each exactly once, in arrival order, each as
 * sent (SPEC §1 fields in order) and carrying the server's activeSession: the problems found.
 */
export function storedProblems(
  expected: readonly ExpectedEntry[],
  storedEntries: readonly object[],
  sessionProblem: SessionCheck,
): string[] {
  const stored = storedEntries as readonly Json[];
  const got = stored.map((entry) => String(entry.correlationId));
  const problems = markerProblems(
    expected.map((e) => e.marker),
    got,
  );
  if (problems.length > 0) return problems;
  for (let i = 0; i < expected.length && problems.length < MAX_PROBLEMS; i++) {
    const problem = entryProblem(expected[i], stored[i], sessionProblem);
    if (problem !== '') problems.push(`stored ${expected[i].marker}: ${problem}`);
  }
  return problems;
}
