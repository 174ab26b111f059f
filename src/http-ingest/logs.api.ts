import { applyDecorators } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConsumes,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ACCEPTED_CONTENT_TYPES } from './body-format.util.js';

const ENTRY = {
  type: 'object',
  required: ['level', 'project', 'system', 'module', 'action'],
  properties: {
    timestamp: { type: 'string', format: 'date-time' },
    correlationId: { type: 'string', minLength: 1, maxLength: 128 },
    level: { type: 'string', enum: ['info', 'warning', 'error'] },
    project: { type: 'string', minLength: 1, maxLength: 128 },
    system: { type: 'string', minLength: 1, maxLength: 128 },
    module: { type: 'string', minLength: 1, maxLength: 128 },
    action: { type: 'string', minLength: 1, maxLength: 128 },
    errorType: { type: 'string', minLength: 1, maxLength: 64 },
    errorCode: { type: 'integer', minimum: -2147483648, maximum: 2147483647 },
    errorMessage: { type: 'string', maxLength: 8192 },
  },
};
const REJECTED = {
  type: 'array',
  items: {
    type: 'object',
    properties: {
      index: { type: 'integer', description: '0-based NDJSON line number or array position' },
      errors: { type: 'array', items: { $ref: '#/components/schemas/FieldError' } },
    },
  },
};
const ERROR = { $ref: '#/components/schemas/HttpError' };

/** The OpenAPI description of POST /logs (SPEC §4). */
export function LogsApi(): MethodDecorator {
  return applyDecorators(
    ApiTags('ingest'),
    ApiOperation({
      summary: 'Ingest one entry, a JSON array, or NDJSON (one entry a line)',
      description:
        '200 only once every accepted entry is stored; any other status means nothing of the body was stored, so a shipper may resend it whole. Blank NDJSON lines are skipped; rejected[].index is the 0-based line number. Bodies over HTTP_MAX_BODY get 413.',
    }),
    ApiHeader({ name: 'x-api-key', required: true, description: 'service, reader or session key' }),
    ApiConsumes(...ACCEPTED_CONTENT_TYPES),
    ApiBody({ schema: { oneOf: [ENTRY, { type: 'array', items: ENTRY }] } }),
    ApiOkResponse({
      description: 'stored',
      schema: { type: 'object', properties: { accepted: { type: 'integer' }, rejected: REJECTED } },
    }),
    ApiBadRequestResponse({ description: 'no valid entry (nothing stored)', schema: ERROR }),
    ApiUnauthorizedResponse({ description: 'missing or unknown key', schema: ERROR }),
    ApiResponse({ status: 403, description: 'origin not allowed', schema: ERROR }),
    ApiPayloadTooLargeResponse({ description: 'body over HTTP_MAX_BODY', schema: ERROR }),
    ApiResponse({ status: 415, description: 'unsupported content type', schema: ERROR }),
    ApiServiceUnavailableResponse({ description: 'storage unavailable', schema: ERROR }),
  );
}
