import { jest } from '@jest/globals';
import fc from 'fast-check';
import { uniqueId, validEntry } from '../support/entries.js';
import { httpGet } from '../support/http-get.js';
import { postLogs } from '../support/http-request.js';
import {
  SERVICE_KEY,
  startService,
  stopAllServices,
  type ServiceProcess,
} from '../support/service-process.js';
import { byCorrelationId, readStored } from '../support/stored.js';

/**
 * Property: whatever a shipper sends to POST /logs — valid and invalid entries, blank lines,
 * broken JSON, huge lines, 10,000-deep nesting, `__proto__` keys, any chunking, any content
 * type — the service answers each request exactly once with an allowed status (never 5xx), its
 * counts and indexes are exact, and what it stored is exactly what it accepted, each once.
 */

jest.setTimeout(120_000);

const HTTP_MAX_BODY = 262_144;
const SEED = Number(process.env.PROPERTY_SEED ?? Date.now() % 2 ** 31);
const RUNS = 100;

/** One line of a body, and what the service must make of it. */
interface Line {
  text: string;
  /** `blank` lines are skipped; `valid` ones stored; `invalid` ones rejected; `huge` ones 413. */
  kind: 'valid' | 'invalid' | 'blank' | 'huge';
  id?: string;
}

/** Well-formed Unicode without U+0000 (SPEC §1): what a valid entry's strings may hold. */
const isStorable = (text: string) => text.isWellFormed() && !text.includes('\0');

const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

const validLine = fc
  .record({
    level: fc.constantFrom('info', 'warning', 'error'),
    errorMessage: fc.option(fc.string({ unit: 'binary', maxLength: 40 }), { nil: undefined }),
    errorCode: fc.option(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { nil: undefined }),
    proto: fc.boolean(),
  })
  .filter((r) => r.errorMessage === undefined || isStorable(r.errorMessage))
  .map(({ level, errorMessage, errorCode, proto }): Line => {
    const id = uniqueId('prop');
    const entry = validEntry({ correlationId: id, level, errorMessage, errorCode });
    const text = JSON.stringify(entry);
    // A `__proto__` key is just an unknown field: dropped, never a prototype.
    return {
      text: proto ? `{"__proto__":{"level":"bogus"},${text.slice(1)}` : text,
      kind: 'valid',
      id,
    };
  });

const invalidLine = fc.oneof(
  fc.constantFrom('debug', 'INFO', '').map((level): Line => {
    const id = uniqueId('prop-bad');
    return { text: JSON.stringify(validEntry({ correlationId: id, level })), kind: 'invalid', id };
  }),
  fc.constant<Line>({ text: '{"level":"info",', kind: 'invalid' }),
  fc.constant<Line>({ text: 'not json at all', kind: 'invalid' }),
  fc.constant<Line>({
    text: '{"__proto__":{"level":"info","project":"p","system":"s","module":"m","action":"a"}}',
    kind: 'invalid',
  }),
  fc.constant<Line>({ text: `{"level":"info","project":${nested(10_000)}}`, kind: 'invalid' }),
  fc.constant<Line>({ text: nested(10_000), kind: 'invalid' }),
  fc.constant<Line>({
    text: JSON.stringify(validEntry({ errorMessage: 'x'.repeat(9000) })),
    kind: 'invalid',
  }),
  fc.constant<Line>({ text: '"a string"', kind: 'invalid' }),
);

const blankLine = fc.constantFrom<Line>(
  { text: '', kind: 'blank' },
  { text: '  \t', kind: 'blank' },
);
const HUGE_LINE: Line = {
  text: JSON.stringify(validEntry({ errorMessage: 'h'.repeat(HTTP_MAX_BODY) })),
  kind: 'huge',
};

const body = fc.record({
  lines: fc.array(
    fc.oneof(
      { arbitrary: validLine, weight: 5 },
      { arbitrary: invalidLine, weight: 3 },
      { arbitrary: blankLine, weight: 2 },
    ),
    { maxLength: 30 },
  ),
  /** Where a line over HTTP_MAX_BODY goes in, in about one body of eight. */
  huge: fc.tuple(fc.nat(7), fc.nat()).map(([die, at]) => (die === 0 ? at : undefined)),
  crlf: fc.boolean(),
  finalNewline: fc.boolean(),
  type: fc.oneof(
    {
      arbitrary: fc.constantFrom(
        'application/x-ndjson',
        'application/x-ndjson; charset=utf-8',
        'application/json',
        'text/plain',
        null,
      ),
      weight: 6,
    },
    { arbitrary: fc.constantFrom('text/html', 'application/octet-stream'), weight: 1 },
  ),
  cuts: fc.array(fc.nat(), { maxLength: 12 }),
});

/** Bytes cut at the given points (anywhere, inside UTF-8 characters too). */
function chunk(bytes: Buffer, cuts: readonly number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let at = 0;
  for (const p of [...points, bytes.length]) {
    if (p > at) chunks.push(bytes.subarray(at, p));
    at = p;
  }
  return chunks;
}

/** The items the service must see: NDJSON lines, or one JSON value for json/text bodies. */
function expectedItems(
  lines: readonly Line[],
  text: string,
  type: string | null,
): { index: number; line: Line }[] {
  const jsonish = type === null || type === 'application/json' || type === 'text/plain';
  const nonBlank = lines
    .map((line, index) => ({ index, line }))
    .filter((i) => i.line.kind !== 'blank');
  if (jsonish && nonBlank.length === 1 && parses(text))
    return [{ index: 0, line: nonBlank[0].line }];
  return nonBlank;
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

describe('POST /logs under random bodies (property)', () => {
  let service: ServiceProcess;

  beforeAll(async () => {
    service = await startService({ env: { HTTP_MAX_BODY: String(HTTP_MAX_BODY) } });
  });

  afterAll(() => stopAllServices());

  it('answers every body once, exactly, and stores exactly what it accepted', async () => {
    const tally: Record<number, number> = {};
    const entries = { accepted: 0, rejected: 0 };
    console.log(
      `POST /logs property: seed ${SEED} (PROPERTY_SEED=${SEED} replays it), ${RUNS} runs`,
    );
    await fc.assert(
      fc.asyncProperty(body, async ({ lines: drawn, huge, crlf, finalNewline, type, cuts }) => {
        // Arrange
        const lines = [...drawn];
        if (huge !== undefined) lines.splice(huge % (lines.length + 1), 0, HUGE_LINE);
        const eol = crlf ? '\r\n' : '\n';
        const text =
          lines.map((l) => l.text).join(eol) + (finalNewline && lines.length > 0 ? eol : '');
        const bytes = Buffer.from(text, 'utf8');
        const items = expectedItems(lines, text, type);
        const ids = lines.filter((l) => l.id !== undefined).map((l) => l.id!);

        // Act
        const res = await postLogs(service.httpUrl, SERVICE_KEY.key, chunk(bytes, cuts), type);

        // Assert
        tally[res.status] = (tally[res.status] ?? 0) + 1;
        const index = byCorrelationId(await readStored(service.logDir));
        const storedCount = (id: string) => index.get(id)?.length ?? 0;
        const unsupported = type === 'text/html' || type === 'application/octet-stream';
        const tooLarge = bytes.length > HTTP_MAX_BODY;
        const valid = items.filter((i) => i.line.kind === 'valid');
        const invalid = items.filter((i) => i.line.kind !== 'valid');
        const expectedStatus = unsupported ? 415 : tooLarge ? 413 : valid.length === 0 ? 400 : 200;
        expect(res.status).toBe(expectedStatus);
        if (res.status !== 200) {
          expect(ids.map(storedCount)).toEqual(ids.map(() => 0));
          if (res.status === 400 && items.length > 0) {
            const rejected = (res.json as { rejected: { index: number }[] }).rejected;
            expect(rejected.map((r) => r.index)).toEqual(invalid.map((i) => i.index));
          }
          return;
        }
        const answer = res.json as { accepted: number; rejected: { index: number }[] };
        expect(answer.accepted).toBe(valid.length);
        expect(answer.rejected.map((r) => r.index)).toEqual(invalid.map((i) => i.index));
        expect(answer.accepted + answer.rejected.length).toBe(items.length);
        entries.accepted += answer.accepted;
        entries.rejected += answer.rejected.length;
        for (const line of lines) {
          if (line.id !== undefined)
            expect([line.id, storedCount(line.id)]).toEqual([
              line.id,
              line.kind === 'valid' ? 1 : 0,
            ]);
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
    console.log(
      `POST /logs property: seed ${SEED}, answers by status ${JSON.stringify(tally)}, entries in 200s ${JSON.stringify(entries)}`,
    );

    // The process lived through all of it.
    expect(service.isRunning).toBe(true);
    expect((await httpGet(`${service.httpUrl}/health/live`)).status).toBe(200);
  });
});
