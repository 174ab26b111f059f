import { CheckBodyPipe, mergeByIndex } from './check-body.pipe.js';

const ENTRY = { level: 'info', project: 'p', system: 's', module: 'm', action: 'a' };
const BROKEN = [{ field: 'entry', message: 'malformed JSON' }];

describe(CheckBodyPipe.name, () => {
  it("reports contract rejections by the body's own indexes, merged with broken lines", () => {
    // Arrange: lines 0 and 2 parsed (2 invalid), 1 blank, 3 broken, 5 valid
    const pipe = new CheckBodyPipe();
    const items = {
      values: [ENTRY, { ...ENTRY, level: 'debug' }, ENTRY],
      indexes: [0, 2, 5],
      broken: [{ index: 3, errors: BROKEN }],
    };

    // Act
    const checked = pipe.transform(items);

    // Assert
    expect(checked.entries).toEqual([ENTRY, ENTRY]);
    expect(checked.rejected.map((r) => r.index)).toEqual([2, 3]);
    expect(checked.rejected[0].errors[0].field).toBe('level');
  });
});

describe(mergeByIndex.name, () => {
  it('merges two ascending lists into one', () => {
    const at = (...indexes: number[]) => indexes.map((index) => ({ index, errors: BROKEN }));
    expect(mergeByIndex(at(1, 4, 9), at(0, 5)).map((r) => r.index)).toEqual([0, 1, 4, 5, 9]);
    expect(mergeByIndex(at(), at(2)).map((r) => r.index)).toEqual([2]);
    expect(mergeByIndex(at(3), at()).map((r) => r.index)).toEqual([3]);
  });
});
