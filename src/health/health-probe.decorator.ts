import { applyDecorators } from '@nestjs/common';
import { HealthCheck } from '@nestjs/terminus';
import { ApiOkResponse, ApiServiceUnavailableResponse } from '@nestjs/swagger';

const indicators = {
  type: 'object',
  nullable: true,
  additionalProperties: {
    type: 'object',
    required: ['status'],
    properties: { status: { type: 'string', enum: ['up', 'down'] } },
    additionalProperties: true,
  },
};
const result = (statuses: string[]) => ({
  type: 'object',
  properties: {
    status: { type: 'string', enum: statuses },
    info: indicators,
    error: indicators,
    details: { ...indicators, nullable: false },
  },
});

/**
 * Terminus's `@HealthCheck()` (no caching) with its OpenAPI responses declared here:
 * terminus documents them itself by `require('@nestjs/swagger')` at decoration time, which in
 * the production bundle loads a second copy of swagger and its dependencies from node_modules
 * (~400 ms of the start).
 */
export const HealthProbe = () =>
  applyDecorators(
    HealthCheck({ noCache: true, swaggerDocumentation: false }),
    ApiOkResponse({ description: 'The check is successful', schema: result(['ok']) }),
    ApiServiceUnavailableResponse({
      description: 'The check is not successful',
      schema: result(['error', 'shutting_down']),
    }),
  );
