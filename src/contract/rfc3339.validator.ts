import { registerDecorator, type ValidationOptions } from 'class-validator';
import { isRfc3339 } from './rfc3339.util.js';

/** Constraint name in class-validator's metadata; the entry checker compiles it by this name. */
export const IS_RFC3339 = 'isRfc3339';

/**
 * An RFC 3339 date-time string with a zone and a real calendar date (see `isRfc3339`).
 * class-validator's IsRFC3339 only matches the shape: it accepts 2026-02-30, which SPEC §1 refuses.
 */
export function IsRfc3339(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: IS_RFC3339,
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate: (value: unknown) => isRfc3339(value),
        defaultMessage: () => '$property must be an RFC 3339 date-time with a zone',
      },
    });
}
