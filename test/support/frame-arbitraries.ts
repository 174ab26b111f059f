import fc from 'fast-check';
import { badBatch, validBatch } from './batch-arbitraries.js';
import {
  hostileValues,
  invalidEntry,
  membersLabel,
  topLevelMembers,
  validEntry,
  type Hostile,
} from './entry-arbitraries.js';
import {
  BAD_ENTRY,
  BAD_FRAME,
  FORBIDDEN,
  frameSpec,
  objectText,
  short,
  type EntrySpec,
  type ExpectedReply,
  type FrameSpec,
  type Member,
} from './protocol-oracle.js';

/**
 * fast-check arbitraries of every frame kind of SPEC §3, each paired by construction with the
 * reply class it must get. Frames are built as JSON text (not stringified objects), so values
 * nested 10,000 deep, `1e400`, escaped lone surrogates and `__proto__` keys reach the service
 * exactly as a hostile client would send them.
 */

export interface FrameConfig {
  /** The service's BATCH_MAX_ENTRIES. */
  readonly batchMax: number;
  /** Length of huge strings and keys, in UTF-16 units. */
  readonly huge: number;
  /** Depth of deeply nested values. */
  readonly depth: number;
}

/** 100 KB strings and 10,000 levels: the largest frame stays well below 1 MiB of WS_MAX_PAYLOAD. */
export const HOSTILE_SIZES = { huge: 100_000, depth: 10_000 } as const;

const logText = (data: string, extras: readonly Member[] = []) =>
  objectText([['event', '"log"'], ['data', data], ...extras]);

function logFrames(h: Hostile): fc.Arbitrary<FrameSpec> {
  const withEntry = (entry: fc.Arbitrary<EntrySpec>, expect: ExpectedReply) =>
    fc
      .tuple(entry, topLevelMembers(h, true))
      .map(([e, extras]) =>
        frameSpec(`log ${e.label}${membersLabel(extras)}`, expect, [e], ([t]) =>
          logText(t, extras),
        ),
      );
  const noData = fc.constant(frameSpec('log without data', BAD_ENTRY, [], () => '{"event":"log"}'));
  return fc.oneof(
    { weight: 8, arbitrary: withEntry(validEntry(h, true), { kind: 'ack' }) },
    { weight: 4, arbitrary: withEntry(invalidEntry(h, true), BAD_ENTRY) },
    { weight: 1, arbitrary: noData },
  );
}

const someData = fc.oneof(
  fc.constant<string | undefined>(undefined),
  fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
);

function eventText(event: string, data: string | undefined): string {
  return objectText(
    data === undefined
      ? [['event', event]]
      : [
          ['event', event],
          ['data', data],
        ],
  );
}

const KNOWN_EVENTS = new Set(['log', 'batch', 'subscribe', 'unsubscribe']);

/** Events no handler has, and events that are not strings: 400, whatever their data. */
function unknownEvents(h: Hostile): fc.Arbitrary<FrameSpec> {
  const names = ['LOG', 'Log', 'log ', ' log', 'ack', 'error', 'hello', 'subscribed'];
  names.push('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '');
  const strings = fc.oneof(
    fc.constantFrom(
      ...names.map((n) => JSON.stringify(n)),
      '"log\\u0000"',
      '"\\ud800"',
      h.hugeAscii,
    ),
    fc
      .string({ maxLength: 12 })
      .filter((s) => !KNOWN_EVENTS.has(s))
      .map((s) => JSON.stringify(s)),
  );
  const others = fc.constantFrom(
    ...['1', '0', '-0', '1e400', 'null', 'true', 'false', '{}', '[]', '["log"]', '{"log":1}'],
    h.deepArray,
    h.deepObject,
  );
  return fc
    .tuple(fc.oneof(strings, others), someData)
    .map(([event, data]) =>
      frameSpec(`event ${short(event, 16)}`, BAD_FRAME, [], () => eventText(event, data)),
    );
}

/** Frames without an `event` (one hides it under `__proto__`), carrying a valid entry. */
function missingEvent(h: Hostile): fc.Arbitrary<FrameSpec> {
  const shapes: [string, (entry: string) => string][] = [
    ['{data}', (t) => `{"data":${t}}`],
    ['{}', () => '{}'],
    ['{Event}', (t) => `{"Event":"log","data":${t}}`],
    ['{__proto__:{event}}', (t) => `{"__proto__":{"event":"log"},"data":${t}}`],
  ];
  return fc
    .tuple(fc.constantFrom(...shapes), validEntry(h, false))
    .map(([[label, text], entry]) =>
      frameSpec(`no event ${label}`, BAD_FRAME, [entry], ([t]) => text(t)),
    );
}

function nonObjectFrames(h: Hostile): fc.Arbitrary<FrameSpec> {
  const texts = ['[]', '1', '"x"', 'null', 'true', '-1.5e3', '[{"event":"log","data":{}}]'];
  texts.push('"{\\"event\\":\\"log\\"}"', h.deepArray);
  return fc
    .constantFrom(...texts)
    .map((text) => frameSpec(`frame ${short(text, 16)}`, BAD_FRAME, [], () => text));
}

/** A valid `log` frame sent as a binary frame: refused with 400 (SPEC §3), so never stored. */
function binaryFrames(h: Hostile): fc.Arbitrary<FrameSpec> {
  const asLog = validEntry(h, false).map((entry) =>
    frameSpec('binary log', BAD_FRAME, [entry], ([t]) => logText(t), true),
  );
  const other = fc
    .string({ unit: 'binary', maxLength: 64 })
    .map((text) =>
      frameSpec(`binary ${short(JSON.stringify(text), 16)}`, BAD_FRAME, [], () => text, true),
    );
  return fc.oneof(asLog, other);
}

/** Not JSON: a valid `log` frame cut short or followed by garbage, and a few classics. */
function malformedFrames(h: Hostile): fc.Arbitrary<FrameSpec> {
  const cut = fc
    .tuple(validEntry(h, false), fc.nat())
    .map(([entry, at]) =>
      frameSpec(`log cut at ${at}`, BAD_FRAME, [entry], ([t]) => properPrefix(logText(t), at)),
    );
  const garbage = ['x', '}', ']', ',', '{}', '\u0000', ' x', '\u0001'];
  const trailing = fc
    .tuple(validEntry(h, false), fc.constantFrom(...garbage))
    .map(([entry, tail]) =>
      frameSpec(`log + ${JSON.stringify(tail)}`, BAD_FRAME, [entry], ([t]) => logText(t) + tail),
    );
  const classics = ['{', '[', '"', '', '{"event":"log",}', "{'event':'log'}", '{event:"log"}'];
  classics.push('{"event":"log","data":NaN}', '{"event":"log" "data":{}}', '\u00a0{}');
  classics.push('{"event":"lo\u0001g","data":{}}');
  const fixed = fc
    .constantFrom(...classics)
    .map((text) => frameSpec(`malformed ${JSON.stringify(text)}`, BAD_FRAME, [], () => text));
  return fc.oneof(cut, trailing, fixed);
}

/** The first `at % length` UTF-16 units, never ending inside a surrogate pair: not JSON. */
function properPrefix(text: string, at: number): string {
  let end = at % text.length;
  const unit = text.charCodeAt(end - 1);
  if (end > 0 && unit >= 0xd800 && unit <= 0xdbff) end--;
  return text.slice(0, end);
}

/** The live tail needs the read scope: an ingest-only key gets 403 whatever the data. */
function tailFrames(h: Hostile): fc.Arbitrary<FrameSpec> {
  const data = fc.oneof(
    someData,
    fc.constantFrom('{"level":"error","project":"absences"}', h.deepArray, h.deepObject),
  );
  return fc
    .tuple(fc.constantFrom('subscribe', 'unsubscribe'), data)
    .map(([event, d]) =>
      frameSpec(`${event} ${short(d ?? 'absent', 12)}`, FORBIDDEN, [], () =>
        eventText(`"${event}"`, d),
      ),
    );
}

/**
 * Any frame of SPEC §3 a client may send with an ingest-only key, valid or hostile, with its
 * expected reply class. Valid `log` frames come most often, so that runs of them form.
 */
export function frameArbitrary(config: FrameConfig): fc.Arbitrary<FrameSpec> {
  if (config.batchMax < 2) throw new Error('frameArbitrary needs BATCH_MAX_ENTRIES >= 2');
  const h = hostileValues(config);
  return fc.oneof(
    { weight: 12, arbitrary: logFrames(h) },
    { weight: 4, arbitrary: validBatch(h, config.batchMax) },
    { weight: 3, arbitrary: badBatch(h, config.batchMax) },
    { weight: 3, arbitrary: unknownEvents(h) },
    { weight: 1, arbitrary: missingEvent(h) },
    { weight: 1, arbitrary: nonObjectFrames(h) },
    { weight: 1, arbitrary: binaryFrames(h) },
    { weight: 2, arbitrary: malformedFrames(h) },
    { weight: 1, arbitrary: tailFrames(h) },
  );
}
