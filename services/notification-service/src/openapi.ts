import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder } from '@nestjs/swagger';
import { INTERNAL_KEY_HEADER } from '@shop/internal-auth';
import { operationsOpenApiPaths } from '@shop/http-kit';
import { BEARER_SCHEME, createApiDocument, INTERNAL_KEY_SCHEME, serveSwaggerUi } from '@shop/nest-kit';
import { QUEUE_DASHBOARD_PATH } from './queue-dashboard/queue-dashboard';

export const API_DOCS_PATH = 'api-docs';

const DESCRIPTION = `Stores notifications, queues them in Bull (Redis) and delivers them by email (SMTP), SMS or push,
with retries and backoff. Recipients' addresses come from the User service.

Every response uses the shared envelope: \`{ success: true, message?, data }\` or
\`{ success: false, error, code, details?, requestId }\`.

\`GET /metrics\` includes \`notification_queue_jobs\` and \`notification_deliveries_total\`. Outside this document: the
queue dashboard at \`${QUEUE_DASHBOARD_PATH}\` (X-Internal-Key, an admin token, or HTTP Basic auth with the
internal key as password).`;

/** Swagger UI at /api-docs and the OpenAPI JSON at /api-docs-json, built from the DTOs' decorators. */
export function setupOpenApi(app: NestExpressApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Notification service')
    .setDescription(DESCRIPTION)
    .setVersion('1.0.0')
    .addApiKey({ type: 'apiKey', in: 'header', name: INTERNAL_KEY_HEADER, description: 'Calls from other services' }, INTERNAL_KEY_SCHEME)
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A token from the User service (POST /api/users/login)' },
      BEARER_SCHEME,
    )
    .build();
  const document = createApiDocument(app, config, operationsOpenApiPaths({ required: ['mongodb', 'redis'], reported: ['user-service'] }));
  serveSwaggerUi(app, API_DOCS_PATH, document, { jsonDocumentUrl: `${API_DOCS_PATH}-json` });
}
