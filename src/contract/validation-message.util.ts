import type { ValidationArguments } from 'class-validator';

/** What a decorator's `message` option or a constraint's `defaultMessage` may be. */
export type MessageSource = string | ((args: ValidationArguments) => string) | undefined;

/**
 * The text class-validator 0.15 produces for a failed constraint, given the metadata's own
 * message or else the constraint's default: `$constraintN`, `$property` and `$target` replaced in
 * that order. Mirrors its internal `ValidationUtils.replaceMessageSpecialTokens`, which the
 * package does not export (`replaceAll` with a string is its `RegExp(..., 'g')`);
 * log-entry.dto.spec.ts and entry-checker.spec.ts check that both agree. `$value` is left alone:
 * the entry checker refuses messages that quote the client's value, and no default message of
 * the constraints it compiles does.
 */
export function validationMessage(source: MessageSource, args: ValidationArguments): string {
  let text = typeof source === 'function' ? source(args) : source;
  if (!text) return '';
  if (text.indexOf('$') === -1) return text;
  const constraints: unknown[] = Array.isArray(args.constraints) ? args.constraints : [];
  for (let i = 0; i < constraints.length; i++) {
    text = text.replaceAll(`$constraint${i + 1}`, constraintToString(constraints[i]));
  }
  return text.replaceAll('$property', args.property).replaceAll('$target', args.targetName);
}

function constraintToString(constraint: unknown): string {
  if (Array.isArray(constraint)) return constraint.join(', ');
  if (typeof constraint === 'symbol') return `${constraint.description}`;
  return `${constraint as string}`;
}
