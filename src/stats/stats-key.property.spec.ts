import fc from 'fast-check';
import { pbtParameters } from '../../test/support/pbt-seed.js';
import { serializeEntry } from '../contract/serialize-entry.util.js';
import type { LogEntryDto } from '../contract/log-entry.dto.js';
import { SEP, splitKey, statsKeyOf } from './stats-key.util.js';

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

describe(statsKeyOf.name, () => {
  it('reads the same four labels as JSON.parse from any serialized entry', () => {
    const params = pbtParameters(500);
    fc.assert(
      fc.property(
        fc.constantFrom('info', 'warning', 'error'),
        label,
        label,
        label,
        fc.option(label, { nil: undefined }),
        (level, project, system, module, errorMessage) => {
          const dto = { level, project, system, module, action: 'a', errorMessage } as LogEntryDto;
          const line = serializeEntry(dto, '2026-01-21T10:00:00.000Z', {
            user: 'u',
            timestamp: '2026-01-21T10:00:00Z',
            ipaddress: '127.0.0.1',
          });
          const e = JSON.parse(line) as Record<string, string>;
          expect(splitKey(statsKeyOf(line) ?? '')).toEqual([
            e.level,
            e.project,
            e.system,
            e.module,
          ]);
        },
      ),
      params,
    );
  });

  it('falls back to JSON.parse for a line in another field order', () => {
    const line = JSON.stringify({ project: 'p', level: 'info', system: 's', module: 'm' });
    expect(statsKeyOf(line)).toBe(['info', 'p', 's', 'm'].join(SEP));
  });

  it.each(['', 'not json', '{"timestamp":"x","correlationId":"y","level":"info","proj', '[1]'])(
    'gives null for %j, which is not an entry',
    (line) => {
      expect(statsKeyOf(line)).toBeNull();
    },
  );
});
