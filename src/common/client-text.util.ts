/** UTF-16 units of client text that an error message or a log line may quote. */
export const QUOTE_MAX = 64;

/**
 * A client-supplied value as it may appear in an error message or a log line: strings only, cut
 * to at most `max` UTF-16 units (never inside a surrogate pair) and JSON-quoted, so control characters,
 * quotes and lone surrogates arrive escaped. Anything else is named by its type alone: formatting
 * an untrusted object (`String([[[...]]])` nested 10,000 deep) can exhaust the stack or the heap.
 */
export function quoteClientText(value: unknown, max = QUOTE_MAX): string {
  if (typeof value !== 'string') return `(${typeOf(value)})`;
  let end = Math.min(value.length, max);
  // Cutting between the two halves of a pair would leave a lone surrogate behind.
  if (end < value.length && isHighSurrogate(value.charCodeAt(end - 1))) end--;
  return JSON.stringify(value.slice(0, end)) + (end < value.length ? '…' : '');
}

/** The JSON type of a parsed value, as a client would name it. */
export function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}
