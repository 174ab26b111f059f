import fc from 'fast-check';
import { pbtParameters } from '../../test/support/pbt-seed.js';
import type { LogEntryDto } from '../contract/log-entry.dto.js';
import { serializeEntry } from '../contract/serialize-entry.util.js';
import { LABEL_FIELDS, entryLabelsOf } from './entry-labels.util.js';

/** Contract strings that stress the positional reader: quotes, backslashes, escapes, astral. */
const label = fc
  .array(
    fc.oneof(
      fc.constantFrom('"', '\\', '\\"', '","level":"x', '\n', '\u001f', '\u2028', '😀', '|', ','),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }),
    ),
    { minLength: 1, maxLength: 8 },
  )
  .map((parts) => parts.join('').replaceAll('\u0000', '_'));

const SESSION = { user: 'u', timestamp: '2026-01-21T10:00:00Z', ipaddress: '127.0.0.1' };
/** What the tail must read from a line: its labels as JSON.parse sees them (non-strings: none). */
const pick = (e: Record<string, unknown>) =>
  LABEL_FIELDS.map((f) => (typeof e[f] === 'string' ? e[f] : undefined));

describe(entryLabelsOf.name, () => {
  it('reads the same filter fields as JSON.parse from any serialized entry', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('info', 'warning', 'error'),
        label,
        label,
        label,
        fc.option(label, { nil: undefined }),
        fc.option(label, { nil: undefined }),
        (level, project, system, module, correlationId, errorMessage) => {
          const dto = {
            level,
            project,
            system,
            module,
            action: 'a',
            correlationId,
            errorMessage,
          } as LogEntryDto;
          const line = serializeEntry(dto, '2026-01-21T10:00:00.000Z', SESSION);
          const labels = entryLabelsOf(line);
          expect(labels).toEqual(pick(JSON.parse(line) as Record<string, unknown>));
        },
      ),
      pbtParameters(500),
    );
  });

  it('falls back to JSON.parse for a line in another field order', () => {
    const line = JSON.stringify({ project: 'p', level: 'info', system: 's', module: 'm' });
    expect(entryLabelsOf(line)).toEqual([undefined, 'info', 'p', 's', 'm']);
  });

  it('reads a non-string field as absent, so that no filter matches it', () => {
    const line = JSON.stringify({ level: 'info', project: 7, system: ['s'], module: null });
    expect(entryLabelsOf(line)).toEqual([undefined, 'info', undefined, undefined, undefined]);
  });

  it.each([
    '',
    'not json',
    '{"timestamp":"x","correlationId":"y","level":"info","proj',
    '[1]',
    '7',
  ])('gives null for %j, which is not an entry', (line) => {
    expect(entryLabelsOf(line)).toBeNull();
  });
});
