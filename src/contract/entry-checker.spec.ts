import { plainToInstance } from 'class-transformer';
import {
  IsDefined,
  IsIn,
  IsInt,
  IsOptional,
  Matches,
  Max,
  Min,
  ValidateIf,
  validateSync,
} from 'class-validator';
import { IsContractString } from './contract-string.validator.js';
import { checkEntry, compileEntryChecker } from './entry-checker.js';

// DTOs with default messages and `$tokens`, to compare the checker's text with class-validator's.
class Sample {
  @IsDefined()
  @IsIn(['a', 'b'])
  kind: string;

  @IsOptional()
  @IsInt()
  @Min(3)
  @Max(7, { message: '$property of $target is above $constraint1' })
  count?: number;

  @IsContractString(2, 4, { message: (args) => `${args.property} rejected` })
  code: string;

  @IsOptional()
  @IsIn(['x'], { message: 'only $constraint1 for $property' })
  label?: string;
}

class WithMatches {
  @Matches(/^x/)
  name: string;
}

class WithValidateIf {
  @ValidateIf(() => true)
  @IsInt()
  n: number;
}

class WithEach {
  @IsInt({ each: true })
  list: number[];
}

class EchoingValue {
  @IsInt({ message: '$value is not an integer' })
  n: number;
}

const messagesOf = (value: object) =>
  validateSync(plainToInstance(Sample, value), { stopAtFirstError: true }).map((e) => ({
    field: e.property,
    message: Object.values(e.constraints ?? {})[0],
  }));

describe(compileEntryChecker.name, () => {
  it.each([
    [{}],
    [{ kind: 'c', count: 2, code: 'abcde' }],
    [{ kind: 'a', count: 9, code: '😀' }],
    [{ kind: 'b', count: 4.5, code: 'ab\u0000' }],
    [{ kind: null, count: '5', code: 5 }],
    [{ kind: 'a', code: 'ab', label: 'y$&$$$property' }],
    [{ kind: 'a', code: 'ab', label: 17 }],
  ])('gives the messages class-validator gives for %j', (value) => {
    // Arrange
    const check = compileEntryChecker(Sample);

    // Act
    const errors = check(value);

    // Assert
    expect(errors).toEqual(messagesOf(value));
  });

  it('returns null for a valid value', () => {
    // Arrange
    const check = compileEntryChecker(Sample);

    // Act
    const errors = check({ kind: 'a', count: 7, code: '😀😀' });

    // Assert
    expect(errors).toBeNull();
  });

  it.each([
    [WithMatches, 'cannot compile constraint matches of field name'],
    [WithValidateIf, 'cannot compile constraint conditionalValidation of field n'],
    [WithEach, 'cannot compile constraint isInt of field list'],
    [EchoingValue, 'the message of field n quotes $value'],
  ])('refuses a DTO with a constraint it cannot compile (%p)', (target, message) => {
    // Act
    const compile = () => compileEntryChecker(target);

    // Assert
    expect(compile).toThrow(message);
  });
});

describe('checkEntry', () => {
  it('does not copy or change the entry', () => {
    // Arrange
    const entry = Object.freeze({
      level: 'info',
      project: 'p',
      system: 's',
      module: 'm',
      action: 'a',
    });

    // Act
    const errors = checkEntry(entry);

    // Assert
    expect(errors).toBeNull();
  });
});
