import { DomainError } from '../common/domain.error.js';
import { quoteClientText } from '../common/client-text.util.js';

/**
 * How a POST /logs body is read (SPEC §4): `ndjson` line by line as it arrives; `json` whole,
 * as one entry or an array of them, and as NDJSON when it is not one JSON value.
 */
export type BodyFormat = 'ndjson' | 'json';

export const ACCEPTED_CONTENT_TYPES = ['application/x-ndjson', 'application/json', 'text/plain'];

const FORMATS: Readonly<Record<string, BodyFormat>> = {
  'application/x-ndjson': 'ndjson',
  'application/json': 'json',
  'text/plain': 'json',
};

const UTF8 = new Set(['utf-8', 'utf8', 'us-ascii']);

/**
 * The format of a body by its `Content-Type` (parameters allowed; a charset must be UTF-8).
 * A request without one is read as `json`, which also takes NDJSON.
 * @throws DomainError 415 naming the accepted types for any other type.
 */
export function bodyFormatOf(contentType: string | undefined): BodyFormat {
  if (contentType === undefined || contentType.trim() === '') return 'json';
  const [type, ...params] = contentType.split(';');
  const format = FORMATS[type.trim().toLowerCase()];
  if (format === undefined) throw unsupported(`content type ${quoteClientText(type.trim())}`);
  for (const param of params) {
    const [name, value = ''] = param.split('=');
    const charset = value.trim().replace(/^"|"$/g, '').toLowerCase();
    if (name.trim().toLowerCase() === 'charset' && !UTF8.has(charset)) {
      throw unsupported(`charset ${quoteClientText(charset)}`);
    }
  }
  return format;
}

/** Only identity bodies: a compressed body would defeat the byte limit as read. */
export function checkContentEncoding(encoding: string | undefined): void {
  if (encoding === undefined) return;
  const value = encoding.trim().toLowerCase();
  if (value !== '' && value !== 'identity') {
    throw new DomainError(415, `unsupported content encoding ${quoteClientText(value)}`);
  }
}

function unsupported(what: string): DomainError {
  return new DomainError(
    415,
    `unsupported ${what}; send one of: ${ACCEPTED_CONTENT_TYPES.join(', ')} (UTF-8)`,
  );
}
