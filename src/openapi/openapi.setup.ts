import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

const FIELD_ERROR = {
  type: 'object',
  properties: { field: { type: 'string' }, message: { type: 'string' } },
};
const HTTP_ERROR = {
  type: 'object',
  required: ['status', 'message', 'errors'],
  properties: {
    status: { type: 'integer' },
    message: { type: 'string' },
    errors: { type: 'array', items: { $ref: '#/components/schemas/FieldError' } },
  },
};

/**
 * Serves the OpenAPI description of the HTTP endpoints (SPEC §4) at `/docs` (Swagger UI, its
 * assets served by the service itself) and `/docs-json`, built from the controllers'
 * decorators on the first request to either (SwaggerModule keeps it), not at boot: scanning
 * every route costs a start ~10 ms that a service nobody asks for its docs should not pay.
 */
export function setupOpenApi(app: INestApplication): void {
  SwaggerModule.setup('docs', app, () => buildDocument(app), { jsonDocumentUrl: 'docs-json' });
}

function buildDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('logger-service')
    .setDescription(
      'Log-ingestion gateway: HTTP endpoints. WebSocket ingest (GET /ws) is described in SPEC §3.',
    )
    .setVersion('1')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'x-api-key' }, 'x-api-key')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, FieldError: FIELD_ERROR, HttpError: HTTP_ERROR },
  };
  return document;
}
