import fc from 'fast-check';
import { STORED_FIELD_ORDER } from './entries.js';
import { objectText, short, type EntrySpec, type Member } from './protocol-oracle.js';

/**
 * fast-check arbitraries of LogEntries as a client may send them (SPEC §1), each valid or
 * invalid by construction: a valid entry is built from the contract's rules, an invalid one is a
 * valid one with exactly one thing wrong. The product's checker is never asked.
 */

/** Sizes of the hostile values; pick them so that every frame stays below WS_MAX_PAYLOAD. */
export interface HostileSizes {
  /** Length of huge strings and keys, in UTF-16 units. */
  readonly huge: number;
  /** Depth of deeply nested values. */
  readonly depth: number;
}

/** Hostile values as JSON text, built once: frames reuse them instead of generating them. */
export interface Hostile {
  readonly deepArray: string;
  readonly deepObject: string;
  readonly hugeAscii: string;
  readonly hugeAstral: string;
  readonly hugeKey: string;
}

export function hostileValues({ huge, depth }: HostileSizes): Hostile {
  return {
    deepArray: '['.repeat(depth) + ']'.repeat(depth),
    deepObject: '{"a":'.repeat(depth) + '0' + '}'.repeat(depth),
    hugeAscii: JSON.stringify('x'.repeat(huge)),
    hugeAstral: JSON.stringify('😀'.repeat(huge >> 1)),
    hugeKey: 'k'.repeat(huge),
  };
}

const json = (value: unknown): string => JSON.stringify(value);
const REQUIRED = ['project', 'system', 'module', 'action'] as const;
const STRINGS_128 = [...REQUIRED, 'correlationId'] as const;
const STRINGS = [...STRINGS_128, 'errorType', 'errorMessage'] as const;
const CONTRACT_KEYS = new Set<string>(STORED_FIELD_ORDER);

/** The contract fields of a valid entry (correlationId aside: it is the entry's marker). */
export type EntryFields = {
  level: string;
  project: string;
  system: string;
  module: string;
  action: string;
  timestamp?: string;
  errorType?: string;
  errorCode?: number;
  errorMessage?: string;
};

/** `min..max` code points of well-formed Unicode without U+0000 (SPEC §1), edges included. */
function contractString(min: number, max: number): fc.Arbitrary<string> {
  const ascii = fc.string({ unit: 'grapheme-ascii', minLength: min, maxLength: Math.min(max, 24) });
  const any = fc.string({ unit: 'binary', minLength: min, maxLength: max });
  // Exactly `max` code points, astral ones taking two UTF-16 units each.
  const edge = fc.constantFrom('😀'.repeat(max), 'x'.repeat(max));
  return fc.oneof(
    { weight: 6, arbitrary: ascii },
    { weight: 3, arbitrary: any.map((s) => s.replaceAll('\0', '0')) },
    { weight: 1, arbitrary: edge },
  );
}

/** RFC 3339 date-times with a zone and a real calendar date. */
const validTimestamp = fc.oneof(
  fc
    .date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z') })
    .filter((d) => !Number.isNaN(d.getTime()))
    .map((d) => d.toISOString()),
  fc.constantFrom(
    '2026-01-21T10:30:00Z',
    '2026-01-21T10:30:00.000+01:00',
    '2024-02-29T23:59:59.123456-08:00',
    '2026-12-31t00:00:00z',
  ),
);

const INT32 = { min: -(2 ** 31), max: 2 ** 31 - 1 };

function entryFields(big: boolean): fc.Arbitrary<EntryFields> {
  const message = contractString(0, 200);
  const fullMessage = fc.constantFrom('x'.repeat(8192), '😀'.repeat(8192));
  return fc.record(
    {
      level: fc.constantFrom('info', 'warning', 'error'),
      project: contractString(1, 128),
      system: contractString(1, 128),
      module: contractString(1, 128),
      action: contractString(1, 128),
      timestamp: validTimestamp,
      errorType: contractString(1, 64),
      errorCode: fc.oneof(fc.integer(INT32), fc.constantFrom(INT32.min, INT32.max, 0)),
      errorMessage: big ? fc.oneof({ weight: 9, arbitrary: message }, fullMessage) : message,
    },
    { requiredKeys: ['level', 'project', 'system', 'module', 'action'] },
  );
}

const toMembers = (fields: EntryFields): Member[] =>
  Object.entries(fields).map(([key, value]) => [key, json(value)] as const);

/** A forged activeSession of every shape: the server must ignore it (SPEC §1). */
const FORGED_SESSIONS = [
  json({ user: 'mallory', timestamp: '2020-01-01T00:00:00Z', ipaddress: '6.6.6.6' }),
  '"mallory"',
  'null',
  '[{"user":"mallory"}]',
];

/** Members a valid entry may carry besides the contract's: all of them must be dropped. */
function extraMembers(h: Hostile, big: boolean): fc.Arbitrary<Member[]> {
  const unknownKey = fc.string({ maxLength: 8 }).filter((k) => !CONTRACT_KEYS.has(k));
  const small: fc.Arbitrary<Member>[] = [
    fc.constant(['__proto__', '{"level":"error","project":"forged"}'] as const),
    fc.constant(['constructor', '{"prototype":{"level":"error"}}'] as const),
    fc.constant(['prototype', 'null'] as const),
    fc.constantFrom(...FORGED_SESSIONS).map((s) => ['activeSession', s] as const),
    fc.constant(['\ud800', '"a lone surrogate as key"'] as const),
    fc.constant(['\u0000', '0'] as const),
    fc.constant(['note', '"\\ud800 and \\u0000 in an unknown field"'] as const),
    fc.tuple(unknownKey, fc.jsonValue({ maxDepth: 2 }).map(json)),
  ];
  const huge: fc.Arbitrary<Member>[] = [
    fc.constant([h.hugeKey, '1'] as const),
    fc.constantFrom(h.hugeAscii, h.hugeAstral).map((v) => ['blob', v] as const),
    fc.constantFrom(h.deepArray, h.deepObject).map((v) => ['nested', v] as const),
  ];
  // Huge members are rare, so that a sequence stays a few MB; a few still come in every one.
  const member = big
    ? fc.oneof(
        { weight: 10, arbitrary: fc.oneof(...small) },
        { weight: 1, arbitrary: fc.oneof(...huge) },
      )
    : fc.oneof(...small);
  const some = fc.uniqueArray(member, { maxLength: big ? 2 : 3, selector: (m) => m[0] });
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant<Member[]>([]) },
    { weight: 1, arbitrary: some },
  );
}

function markedEntry(label: string, members: readonly Member[], stored: EntryFields | null) {
  const render = (marker: string) => objectText([['correlationId', json(marker)], ...members]);
  return { label, stored, render };
}

/** A valid entry; `big` allows huge strings, huge keys and deep values in unknown fields. */
export function validEntry(h: Hostile, big: boolean): fc.Arbitrary<EntrySpec> {
  return fc.tuple(entryFields(big), extraMembers(h, big)).map(([fields, extras]) => {
    const label = ['valid', ...extras.map(([k]) => short(json(k), 12))].join('+');
    return markedEntry(label, [...toMembers(fields), ...extras], fields);
  });
}

/** One thing wrong with an entry: `field` gets the JSON text `json`, or is removed (undefined). */
interface Mutation {
  readonly field: string;
  readonly json: string | undefined;
}

const BAD_TIMESTAMPS = [
  '"2026-02-30T10:00:00Z"',
  '"2025-02-29T00:00:00Z"',
  '"2026-01-21T10:30:00"',
  '"2026-01-21T24:00:00Z"',
  '"2026-13-01T00:00:00Z"',
  '"2026-01-21T10:30:00+0100"',
  '"2026-01-21T10:30:00.Z"',
  '"2026-01-21"',
  '"yesterday"',
  '""',
  '1700000000',
  '{}',
];

const LONE_SURROGATES_AND_NUL = [
  '"\\ud800"',
  '"ab\\udc00"',
  '"x\\ud83d"',
  '"\\ude00y"',
  '"a\\u0000b"',
];

function mutation(h: Hostile, big: boolean): fc.Arbitrary<Mutation> {
  const m = (field: fc.Arbitrary<string>, text: fc.Arbitrary<string | undefined>) =>
    fc.record({ field, json: text });
  const of = <T>(...values: T[]) => fc.constantFrom(...values);
  const tooLong = (n: number) => of(json('x'.repeat(n)), json('😀'.repeat(n)));
  return fc.oneof(
    m(of('level'), of('"debug"', '"INFO"', '"warn"', '"info "', '""', '1', 'null', '["info"]')),
    m(of('level', ...REQUIRED), of(undefined, 'null')),
    m(of(...STRINGS_128), tooLong(129)),
    m(of('errorType'), tooLong(65)),
    m(
      of('errorMessage'),
      big ? of(json('x'.repeat(8193)), h.hugeAscii) : of(json('x'.repeat(8193))),
    ),
    m(of(...STRINGS_128, 'errorType'), of('""')),
    m(of(...STRINGS), of(...LONE_SURROGATES_AND_NUL)),
    m(
      of('errorCode'),
      of('1.5', String(2 ** 31), String(-(2 ** 31) - 1), '"500"', 'true', '1e400'),
    ),
    m(of('timestamp'), of(...BAD_TIMESTAMPS)),
    m(of(...REQUIRED), of('123', '{}', '["a"]', 'true')),
    m(
      of('level', 'correlationId', ...REQUIRED),
      big ? of(h.deepArray, h.deepObject) : of('[[[]]]'),
    ),
  );
}

/** A valid entry with exactly one mutation; a bad correlationId leaves the entry unmarked. */
function mutatedEntry(h: Hostile, big: boolean): fc.Arbitrary<EntrySpec> {
  return fc.tuple(entryFields(false), mutation(h, big)).map(([fields, { field, json: text }]) => {
    const members = toMembers(fields).filter(([key]) => key !== field);
    if (text !== undefined) members.push([field, text]);
    const label = `bad ${field}=${text === undefined ? 'missing' : short(text, 16)}`;
    if (field !== 'correlationId') return markedEntry(label, members, null);
    return { label, stored: null, render: () => objectText(members) };
  });
}

/** Entries that are not objects, and one whose fields hide under a `__proto__` key. */
function misshapenEntry(h: Hostile, big: boolean): fc.Arbitrary<EntrySpec> {
  const texts = ['[]', '1', '"x"', 'null', 'true', '[{"level":"info"}]'];
  if (big) texts.push(h.deepArray, h.deepObject);
  const notObject = fc.constantFrom(...texts).map((text) => ({
    label: `entry ${short(text, 12)}`,
    stored: null,
    render: () => text,
  }));
  const underProto = entryFields(false).map((fields) => ({
    label: 'fields under __proto__',
    stored: null,
    render: (marker: string) =>
      objectText([
        ['__proto__', objectText([['correlationId', json(marker)], ...toMembers(fields)])],
      ]),
  }));
  return fc.oneof({ weight: 3, arbitrary: notObject }, { weight: 1, arbitrary: underProto });
}

/** An invalid entry; `big` allows deep and huge values. */
export function invalidEntry(h: Hostile, big: boolean): fc.Arbitrary<EntrySpec> {
  return fc.oneof(
    { weight: 4, arbitrary: mutatedEntry(h, big) },
    { weight: 1, arbitrary: misshapenEntry(h, big) },
  );
}

/** Hostile members at the frame's or the data's top level: none may change the outcome. */
export function topLevelMembers(h: Hostile, big: boolean): fc.Arbitrary<Member[]> {
  const members: Member[] = [
    ['__proto__', '{"event":"batch","data":{"seq":"x"}}'],
    ['constructor', '{"prototype":{}}'],
    ['prototype', 'null'],
    ['\ud800', '1'],
    ['\u0000', '"\\u0000"'],
  ];
  if (big) members.push([h.hugeKey, '1']);
  const some = fc.subarray(members, { minLength: 1, maxLength: 2 });
  return fc.oneof(
    { weight: 4, arbitrary: fc.constant<Member[]>([]) },
    { weight: 1, arbitrary: some },
  );
}

/** `+key` per member, for labels. */
export const membersLabel = (extras: readonly Member[]) =>
  extras.map(([key]) => `+${short(JSON.stringify(key), 12)}`).join('');
