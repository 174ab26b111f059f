import { QUOTE_MAX, quoteClientText, typeOf } from './client-text.util.js';

describe(quoteClientText.name, () => {
  it('quotes a short string as JSON, control characters and quotes escaped', () => {
    expect(quoteClientText('a"b\u0000\n')).toBe('"a\\"b\\u0000\\n"');
  });

  it(`cuts a long string to ${QUOTE_MAX} units and marks the cut`, () => {
    const quoted = quoteClientText('x'.repeat(1_000_000));
    expect(quoted).toBe(`"${'x'.repeat(QUOTE_MAX)}"…`);
  });

  it('never cuts between the halves of a surrogate pair', () => {
    const text = 'x'.repeat(QUOTE_MAX - 1) + '😀' + 'tail';
    expect(quoteClientText(text)).toBe(`"${'x'.repeat(QUOTE_MAX - 1)}"…`);
  });

  it('names anything but a string by its type alone, however deep', () => {
    let deep: unknown = [];
    for (let i = 0; i < 10_000; i++) deep = [deep];
    const hostile = { toString: () => 'never called' };
    expect([deep, hostile, null, 7, undefined].map((v) => quoteClientText(v))).toEqual([
      '(array)',
      '(object)',
      '(null)',
      '(number)',
      '(undefined)',
    ]);
    expect(typeOf(true)).toBe('boolean');
  });
});
