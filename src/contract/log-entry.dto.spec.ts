import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { FieldError } from '../common/domain.error.js';
import { checkEntry } from './entry-checker.js';
import { LogEntryDto } from './log-entry.dto.js';

/** One row of the contract table: an input and the fields it must fail on (none: valid). */
interface Row {
  name: string;
  entry: unknown;
  invalid: string[];
}

const VALID = {
  timestamp: '2026-01-21T10:30:00.123Z',
  correlationId: '0b6f7e8e-2f57-4c8e-9f0e-3c1d2b4a5e6f',
  level: 'info',
  project: 'absences',
  system: 'frontend',
  module: 'AddCompanies',
  action: 'saveHandler',
  errorType: 'validation',
  errorCode: 422,
  errorMessage: 'Field "startDate" must be before "endDate"',
};
const REQUIRED = ['level', 'project', 'system', 'module', 'action'];
const EMOJI = '😀'; // one code point, two UTF-16 units

const row = (name: string, entry: unknown, invalid: string[] = []): Row => ({
  name,
  entry,
  invalid,
});
const set = (field: string, value: unknown) => ({ ...VALID, [field]: value });
const unset = (field: string) =>
  Object.fromEntries(Object.entries(VALID).filter(([k]) => k !== field));

/** Every edge of a SPEC §1 string field: presence, type, length in code points, Unicode. */
function stringRows(field: string, min: number, max: number, required: boolean): Row[] {
  const absent = required ? [field] : [];
  const bad = [field];
  return [
    row(`${field}: missing`, unset(field), absent),
    row(`${field}: null`, set(field, null), absent),
    row(`${field}: empty`, set(field, ''), min === 0 ? [] : bad),
    row(`${field}: exactly ${max} ASCII`, set(field, 'x'.repeat(max))),
    row(`${field}: ${max + 1} ASCII`, set(field, 'x'.repeat(max + 1)), bad),
    row(`${field}: exactly ${max} astral code points`, set(field, EMOJI.repeat(max))),
    row(`${field}: ${max + 1} astral code points`, set(field, EMOJI.repeat(max + 1)), bad),
    row(
      `${field}: ${max} code points in ${max + 1} units`,
      set(field, 'x'.repeat(max - 1) + EMOJI),
    ),
    row(`${field}: one astral code point`, set(field, EMOJI)),
    row(`${field}: non-ASCII BMP`, set(field, 'Zürich – 東京')),
    row(`${field}: lone high surrogate`, set(field, 'ab\uD83D'), bad),
    row(`${field}: lone low surrogate`, set(field, '\uDE00ab'), bad),
    row(`${field}: reversed surrogate pair`, set(field, '\uDE00\uD83D'), bad),
    row(`${field}: U+0000`, set(field, 'a\u0000b'), bad),
    row(`${field}: number`, set(field, 42), bad),
    row(`${field}: boolean`, set(field, true), bad),
    row(`${field}: array`, set(field, ['x']), bad),
    row(`${field}: object`, set(field, { x: 1 }), bad),
  ];
}

const ROWS: Row[] = [
  row('full entry', VALID),
  row('only required fields', Object.fromEntries(REQUIRED.map((f) => [f, VALID[f as 'level']]))),
  row('empty object', {}, REQUIRED),
  row('two bad fields, in field order', { ...VALID, errorCode: '500', level: 'debug' }, [
    'level',
    'errorCode',
  ]),
  row('unknown fields ignored', { ...VALID, url: 'https://x', durationMs: 12, nested: { a: 1 } }),
  row('client activeSession ignored', { ...VALID, activeSession: { user: 1, ipaddress: [] } }),
  row('client activeSession garbage ignored', { ...VALID, activeSession: 'root' }),

  row('entry: null', null, ['entry']),
  row('entry: array', [VALID], ['entry']),
  row('entry: empty array', [], ['entry']),
  row('entry: number', 42, ['entry']),
  row('entry: string', JSON.stringify(VALID), ['entry']),
  row('entry: boolean', true, ['entry']),

  ...['info', 'warning', 'error'].map((level) => row(`level: ${level}`, set('level', level))),
  ...['INFO', 'Info', 'warn', 'debug', 'fatal', '', ' info', 'info '].map((level) =>
    row(`level: ${JSON.stringify(level)}`, set('level', level), ['level']),
  ),
  row('level: missing', unset('level'), ['level']),
  row('level: null', set('level', null), ['level']),
  row('level: number', set('level', 1), ['level']),
  row('level: array', set('level', ['info']), ['level']),

  ...[0, 500, -1, 1e3, -0, 2 ** 31 - 1, -(2 ** 31)].map((code) =>
    row(`errorCode: ${code}`, set('errorCode', code)),
  ),
  ...[2 ** 31, -(2 ** 31) - 1, 1.5, -0.5, NaN, Infinity, '500', '', true, [500], { code: 1 }].map(
    (code) =>
      row(`errorCode: ${String(code)} (${typeof code})`, set('errorCode', code), ['errorCode']),
  ),
  row('errorCode: missing', unset('errorCode')),
  row('errorCode: null', set('errorCode', null)),

  ...[
    '2026-01-21T10:30:00Z',
    '2026-01-21T10:30:00+01:00',
    '2026-01-21T10:30:00-05:30',
    '2026-01-21T10:30:00.1Z',
    '2026-01-21T10:30:00.123456789+14:00',
    '2026-01-21t10:30:00z',
    '2026-01-21 10:30:00Z',
    '2026-12-31T23:59:60Z',
    '2024-02-29T00:00:00Z',
    '2000-02-29T00:00:00Z',
    '0000-01-01T00:00:00Z',
  ].map((ts) => row(`timestamp: ${ts}`, set('timestamp', ts))),
  ...[
    '2026-01-21T10:30:00',
    '2026-01-21T10:30:00.123',
    '2026-02-30T10:00:00Z',
    '2023-02-29T00:00:00Z',
    '1900-02-29T00:00:00Z',
    '2026-04-31T00:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-00-10T00:00:00Z',
    '2026-01-00T00:00:00Z',
    '2026-01-21T24:00:00Z',
    '2026-01-21T10:60:00Z',
    '2026-01-21T10:30:61Z',
    '2026-01-21T10:30:00.Z',
    '2026-01-21T10:30:00+1:00',
    '2026-01-21T10:30:00+01:60',
    '2026-01-21T10:30:00+24:00',
    '2026-01-21T10:30:00+0100',
    '2026-01-21T10:30:00Z ',
    '2026-01-21T10:30:00ZZ',
    '2026-01-21X10:30:00Z',
    `2026-01-21T10:30:00.${'1'.repeat(15)}+01:00`,
    '+2026-01-21T10:30:00Z',
    '2026-01-21',
    '21/01/2026 10:30',
    'yesterday',
    '',
    '２０２６-01-21T10:30:00Z',
  ].map((ts) => row(`timestamp: ${JSON.stringify(ts)}`, set('timestamp', ts), ['timestamp'])),
  row('timestamp: epoch number', set('timestamp', 1737455400000), ['timestamp']),
  row('timestamp: missing', unset('timestamp')),
  row('timestamp: null', set('timestamp', null)),

  ...stringRows('correlationId', 1, 128, false),
  ...['project', 'system', 'module', 'action'].flatMap((f) => stringRows(f, 1, 128, true)),
  ...stringRows('errorType', 1, 64, false),
  ...stringRows('errorMessage', 0, 8192, false),
];

const isObject = (x: unknown) => x !== null && typeof x === 'object' && !Array.isArray(x);
const fieldsOf = (errors: FieldError[] | null) => [...new Set((errors ?? []).map((e) => e.field))];

/** The reference: class-validator on a DTO instance, flattened to FieldErrors. */
function viaClassValidator(entry: unknown, stopAtFirstError: boolean): FieldError[] | null {
  // validateSync reads `entry.constructor`, so it cannot be handed null at all.
  if (entry === null) return [{ field: 'entry', message: 'null' }];
  const errors = validateSync(plainToInstance(LogEntryDto, entry) as object, { stopAtFirstError });
  if (errors.length === 0) return null;
  return errors.flatMap((e) =>
    Object.values(e.constraints ?? {}).map((message) => ({
      field: e.property ?? 'entry',
      message,
    })),
  );
}

describe(LogEntryDto.name, () => {
  it.each(ROWS)('$name: class-validator and checkEntry agree', ({ entry, invalid }) => {
    // Arrange
    const before = JSON.stringify(entry);

    // Act
    const fast = checkEntry(entry);
    const reference = viaClassValidator(entry, true);
    const allErrors = viaClassValidator(entry, false);

    // Assert
    expect(fieldsOf(fast)).toEqual(invalid);
    expect(fieldsOf(reference)).toEqual(invalid);
    expect(fieldsOf(allErrors)).toEqual(invalid);
    expect(fast === null).toBe(invalid.length === 0);
    if (isObject(entry)) expect(fast).toEqual(reference);
    expect(JSON.stringify(entry)).toBe(before);
  });

  it.each([
    [{ ...VALID, level: 'debug' }, 'level must be one of: info, warning, error'],
    [unset('project'), 'project is required'],
    [set('module', ''), 'module must be a string of 1..128 characters'],
    [set('errorType', 'x'.repeat(65)), 'errorType must be a string of 1..64 characters'],
    [set('errorMessage', 7), 'errorMessage must be a string of at most 8192 characters'],
    [set('action', 'a\u0000'), 'action must be well-formed Unicode without U+0000'],
    [set('system', '\uD800'), 'system must be well-formed Unicode without U+0000'],
    [set('errorCode', '500'), 'errorCode must be an integer in -2147483648..2147483647'],
    [
      set('timestamp', '2026-02-30T00:00:00Z'),
      'timestamp must be an RFC 3339 date-time with a zone',
    ],
    [null, 'entry must be a JSON object'],
  ])('reports %j as "%s"', (entry, message) => {
    // Act
    const errors = checkEntry(entry);

    // Assert
    expect(errors).toHaveLength(1);
    expect(errors?.[0].message).toBe(message);
  });
});
