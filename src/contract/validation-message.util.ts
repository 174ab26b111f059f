import type { ValidationArguments } from 'class-validator';

/** What a decorator's `message` option or a constraint's `defaultMessage` may be. */
export type MessageSource = string | ((args: ValidationArguments) => string) | undefined;

/**
 * The text class-validator 0.15 produces for a failed constraint: the metadata's own message,
 * else the constraint's default, with `$constraintN`, `$value`, `$property` and `$target`
 * replaced. A copy of its internal `ValidationUtils.replaceMessageSpecialTokens`, which the
 * package does not export; the table in log-entry.dto.spec.ts checks that both agree.
 */
export function validationMessage(source: MessageSource, args: ValidationArguments): string {
  let text = typeof source === 'function' ? source(args) : source;
  if (!text) return '';
  const constraints: unknown[] = Array.isArray(args.constraints) ? args.constraints : [];
  for (let i = 0; i < constraints.length; i++) {
    const token = new RegExp(`\\$constraint${i + 1}`, 'g');
    text = text.replace(token, constraintToString(constraints[i]));
  }
  const value: unknown = args.value;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    text = text.replace(/\$value/g, String(value));
  }
  return text.replace(/\$property/g, args.property).replace(/\$target/g, args.targetName);
}

function constraintToString(constraint: unknown): string {
  if (Array.isArray(constraint)) return constraint.join(', ');
  if (typeof constraint === 'symbol') return `${constraint.description}`;
  return `${constraint as string}`;
}
