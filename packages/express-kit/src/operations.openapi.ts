/**
 * OpenAPI paths of the operational routes every service answers (healthRoutes and /metrics):
 * merged into each service's document, Express and Nest alike (where they are mounted outside
 * the controllers, so @nestjs/swagger cannot see them).
 */
export function operationsOpenApiPaths(dependencies: { required: string[]; reported?: string[] }): Record<string, unknown> {
  const reported = dependencies.reported?.length ? `; reported only: ${dependencies.reported.join(', ')}` : '';
  const envelope = { type: 'object', properties: { success: { type: 'boolean' }, data: { type: 'object' } } };
  return {
    '/health': {
      get: {
        tags: ['Operations'],
        summary: 'Liveness: the process answers',
        operationId: 'health',
        responses: { 200: { description: 'Alive', content: { 'application/json': { schema: envelope } } } },
      },
    },
    '/health/ready': {
      get: {
        tags: ['Operations'],
        summary: `Readiness: required ${dependencies.required.join(', ')}${reported}`,
        operationId: 'readiness',
        responses: {
          200: {
            description: 'Its own storage answers (`degraded: true` when a reported dependency is down)',
            content: { 'application/json': { schema: envelope } },
          },
          503: {
            description: 'A required dependency does not answer; each dependency is reported',
            content: { 'application/json': { schema: envelope } },
          },
        },
      },
    },
    '/metrics': {
      get: {
        tags: ['Operations'],
        summary: 'Prometheus metrics',
        operationId: 'metrics',
        responses: {
          200: { description: 'Metrics in the Prometheus text format', content: { 'text/plain': { schema: { type: 'string' } } } },
        },
      },
    },
  };
}
