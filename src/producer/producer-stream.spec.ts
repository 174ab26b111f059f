import fc from 'fast-check';
import { DomainError } from '../common/domain.error.js';
import { ProducerStream } from './producer-stream.js';

function outcome(stream: ProducerStream, seq: number | undefined): string {
  try {
    return stream.admit(seq);
  } catch (error) {
    const e = error as DomainError;
    return `${e.status}${e.details?.expected !== undefined ? `:${e.details.expected}` : ''}`;
  }
}

describe(ProducerStream.name, () => {
  it('takes the next seq, calls lower ones duplicates, and refuses gaps with the expected seq', () => {
    const stream = new ProducerStream('k', 'p', 4);

    expect([5, 5, 3, 7, undefined, 6].map((seq) => outcome(stream, seq))).toEqual([
      'new',
      'duplicate',
      'duplicate',
      '409:6',
      '400',
      'new',
    ]);
  });

  it('gives a seq back for a batch refused before storage, and refuses everything once broken', () => {
    const stream = new ProducerStream('k', 'p', 0);
    stream.admit(1);
    stream.release(1);
    expect(outcome(stream, 1)).toBe('new');
    stream.broken = true;
    expect(outcome(stream, 2)).toBe('503');
  });

  it('admits each seq once whatever order a client sends them in (a model agrees)', () => {
    fc.assert(
      fc.property(fc.nat({ max: 50 }), fc.array(fc.integer({ min: -2, max: 60 })), (last, seqs) => {
        const stream = new ProducerStream('k', 'p', last);
        let highest = last;
        for (const seq of seqs) {
          const expected =
            seq <= highest ? 'duplicate' : seq === highest + 1 ? 'new' : `409:${highest + 1}`;
          expect(outcome(stream, seq)).toBe(expected);
          if (expected === 'new') highest = seq;
        }
        expect(stream.next).toBe(highest + 1);
      }),
      { numRuns: 500 },
    );
  });
});
