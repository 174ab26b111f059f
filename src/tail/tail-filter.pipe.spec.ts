import fc from 'fast-check';
import { DomainError } from '../common/domain.error.js';
import { TailFilterPipe } from './tail-filter.pipe.js';

const pipe = new TailFilterPipe();
const deep = JSON.parse('['.repeat(10_000) + ']'.repeat(10_000)) as unknown;

function errorOf(data: unknown): DomainError {
  try {
    pipe.transform(data);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

describe(TailFilterPipe.name, () => {
  it('takes no data as no filter, and keeps the given fields in contract order', () => {
    expect(pipe.transform(undefined)).toEqual({});
    expect(pipe.transform(null)).toEqual({});
    const filter = pipe.transform({ correlationId: 'c', level: 'error', project: 'p' });
    expect(Object.keys(filter)).toEqual(['level', 'project', 'correlationId']);
  });

  it.each([
    ['an unknown field', { levle: 'error' }, 'filter'],
    ['a level that is not one', { level: 'debug' }, 'level'],
    ['a number', { project: 7 }, 'project'],
    ['an empty string', { system: '' }, 'system'],
    ['a string over 128', { module: 'm'.repeat(129) }, 'module'],
    ['a lone surrogate', { correlationId: '\ud800' }, 'correlationId'],
    ['nesting 10,000 deep', { project: deep }, 'project'],
  ])('refuses %s with 400 naming the field', (_, data, field) => {
    const error = errorOf(data);
    expect(error.status).toBe(400);
    expect(error.errors?.[0].field).toBe(field);
  });

  it('refuses data that is not an object', () => {
    for (const data of [[], 'x', 1, true, deep]) expect(errorOf(data).status).toBe(400);
  });

  it('answers any JSON value with a filter or a bounded 400, never anything else', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (data) => {
        let outcome: unknown;
        try {
          outcome = pipe.transform(data);
        } catch (error) {
          expect(error).toBeInstanceOf(DomainError);
          const e = error as DomainError;
          expect(e.status).toBe(400);
          expect(JSON.stringify(e.errors).length).toBeLessThan(1000);
          return;
        }
        expect(typeof outcome).toBe('object');
      }),
      { numRuns: 1000 },
    );
  });
});
