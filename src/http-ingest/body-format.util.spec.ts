import { DomainError } from '../common/domain.error.js';
import { bodyFormatOf, checkContentEncoding } from './body-format.util.js';

describe(bodyFormatOf.name, () => {
  it.each([
    ['application/x-ndjson', 'ndjson'],
    ['Application/X-NDJSON; charset=utf-8', 'ndjson'],
    ['application/json', 'json'],
    ['application/json; charset="UTF-8"', 'json'],
    ['text/plain', 'json'],
    ['text/plain;charset=us-ascii', 'json'],
    [undefined, 'json'],
    ['', 'json'],
  ])('reads %j as %s', (type, format) => {
    expect(bodyFormatOf(type)).toBe(format);
  });

  it.each([
    ['text/html'],
    ['application/x-www-form-urlencoded'],
    ['multipart/form-data; boundary=x'],
    ['application/json; charset=latin1'],
  ])('refuses %j with 415 naming the accepted types', (type) => {
    // Act
    const act = () => bodyFormatOf(type);

    // Assert
    expect(act).toThrow(DomainError);
    expect(act).toThrow(expect.objectContaining({ status: 415 }));
    expect(act).toThrow(/application\/x-ndjson, application\/json, text\/plain/);
  });

  it('quotes a hostile content type bounded and escaped', () => {
    // Arrange
    const type = `x/${'"'.repeat(500)}\u0001`;

    // Act
    let message = '';
    try {
      bodyFormatOf(type);
    } catch (error) {
      message = (error as Error).message;
    }

    // Assert
    expect(message).toContain('\\"');
    expect(message).not.toContain('\u0001');
    expect(message.length).toBeLessThan(300);
  });
});

describe(checkContentEncoding.name, () => {
  it('accepts none and identity, refuses gzip with 415', () => {
    expect(() => checkContentEncoding(undefined)).not.toThrow();
    expect(() => checkContentEncoding('identity')).not.toThrow();
    expect(() => checkContentEncoding('gzip')).toThrow(expect.objectContaining({ status: 415 }));
  });
});
