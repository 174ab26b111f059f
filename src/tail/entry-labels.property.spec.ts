import fc from 'fast-check';
import { pbtParameters } from '../../test/support/pbt-seed.js';
import type { LogEntryDto } from '../contract/log-entry.dto.js';
import { serializeEntry } from '../contract/serialize-entry.util.js';
import { entryLabelsOf } from './entry-labels.util.js';

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
const pick = (e: Record<string, unknown>) => ({
  correlationId: e.correlationId,
  level: e.level,
  project: e.project,
  system: e.system,
  module: e.module,
});

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
          expect(labels && pick(labels as unknown as Record<string, unknown>)).toEqual(
            pick(JSON.parse(line) as Record<string, unknown>),
          );
        },
      ),
      pbtParameters(500),
    );
  });

  it('falls back to JSON.parse for a line in another field order', () => {
    const line = JSON.stringify({ project: 'p', level: 'info', system: 's', module: 'm' });
    expect(entryLabelsOf(line)).toMatchObject({ project: 'p', level: 'info', module: 'm' });
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
