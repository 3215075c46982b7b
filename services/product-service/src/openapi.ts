import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject } from '@nestjs/swagger';
import { operationsOpenApiPaths } from '@shop/http-kit';
import { BEARER_SCHEME, createApiDocument, INTERNAL_KEY_SCHEME, serveSwaggerUi } from '@shop/nest-kit';

/** The OpenAPI document, from the controllers' and DTOs' decorators: UI at /api, JSON at /api-json. */
export function setupOpenApi(app: INestApplication): OpenAPIObject {
  const document = createApiDocument(
    app,
    new DocumentBuilder()
      .setTitle('Product service')
      .setDescription(
        'Catalogue (categories, products), stock and per-order stock reservations. Reads are public; ' +
          'catalogue writes need the internal key or an admin token; stock and reservations are internal. ' +
          'Every answer is an envelope: `{ success: true, data }` or `{ success: false, error, code, details?, requestId }`.',
      )
      .setVersion('1.0.0')
      .addBearerAuth(
        { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'An admin’s token from the User service' },
        BEARER_SCHEME,
      )
      .addApiKey(
        { type: 'apiKey', in: 'header', name: 'X-Internal-Key', description: 'The key services call each other with' },
        INTERNAL_KEY_SCHEME,
      )
      .build(),
    operationsOpenApiPaths({ required: ['postgres'] }),
  );
  serveSwaggerUi(app, 'api', document);
  return document;
}
