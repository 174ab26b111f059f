import { codePointLength, hasLengthWithin, isContractString } from './unicode.util.js';

describe(codePointLength.name, () => {
  it.each([
    ['', 0],
    ['abc', 3],
    ['😀😀', 2],
    ['a😀b', 3],
    ['\uD83D', 1],
    ['\uDE00\uD83D', 2],
    ['x\uD83D', 2],
  ])('counts %j as %i code points', (s, expected) => {
    // Act
    const n = codePointLength(s);

    // Assert
    expect(n).toBe(expected);
    expect(n).toBe([...s].length);
  });
});

describe(hasLengthWithin.name, () => {
  it.each([
    ['ab', 3, 5, false],
    ['😀😀', 3, 5, false],
    ['😀😀😀', 3, 5, true],
    ['abc', 3, 5, true],
    ['😀😀😀😀😀', 3, 5, true],
    ['😀😀😀😀😀😀', 3, 5, false],
    ['', 0, 0, true],
  ])('%j within %i..%i is %p', (s, min, max, expected) => {
    // Act
    const within = hasLengthWithin(s, min, max);

    // Assert
    expect(within).toBe(expected);
  });
});

describe(isContractString.name, () => {
  it('never coerces', () => {
    // Act
    const results = [1, true, null, undefined, {}, ['a']].map((v) => isContractString(v, 0, 10));

    // Assert
    expect(results.every((r) => r === false)).toBe(true);
  });
});
