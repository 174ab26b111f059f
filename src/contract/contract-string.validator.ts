import {
  registerDecorator,
  type ValidationArguments,
  type ValidationOptions,
} from 'class-validator';
import { hasLengthWithin, isContractString } from './unicode.util.js';

/** Constraint name in class-validator's metadata; the entry checker compiles it by this name. */
export const IS_CONTRACT_STRING = 'isContractString';

/**
 * A SPEC §1 string: `min..max` Unicode code points, well-formed, without U+0000, no coercion.
 * One decorator rather than IsString + Length + a Unicode rule, so a field fails with one message
 * that says what is wrong with it.
 */
export function IsContractString(
  min: number,
  max: number,
  options?: ValidationOptions,
): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: IS_CONTRACT_STRING,
      target: target.constructor,
      propertyName: propertyName as string,
      constraints: [min, max],
      options,
      validator: {
        validate: (value: unknown, args?: ValidationArguments) =>
          isContractString(value, args?.constraints[0] as number, args?.constraints[1] as number),
        defaultMessage: contractStringMessage,
      },
    });
}

/** Names the actual problem: a client fixes a lone surrogate differently from a long string. */
function contractStringMessage(args?: ValidationArguments): string {
  const [min, max] = (args?.constraints ?? [0, 0]) as [number, number];
  const value = args?.value;
  if (typeof value === 'string' && hasLengthWithin(value, min, max)) {
    return '$property must be well-formed Unicode without U+0000';
  }
  return min === 0
    ? `$property must be a string of at most ${max} characters`
    : `$property must be a string of ${min}..${max} characters`;
}
