import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

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
 * assets served by the service itself) and `/docs-json`, built once at boot from the controllers'
 * decorators.
 */
export function setupOpenApi(app: INestApplication): void {
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
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
