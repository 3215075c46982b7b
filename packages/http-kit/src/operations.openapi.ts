/**
 * OpenAPI paths of the operational routes every service answers (healthRoutes and /metrics):
 * merged into each service's document, Express and Nest alike (where they are mounted outside
 * the controllers, so @nestjs/swagger cannot see them).
 */
export function operationsOpenApiPaths(dependencies: { required: string[]; reported?: string[] }): Record<string, unknown> {
  const reported = dependencies.reported?.length ? `; reported only: ${dependencies.reported.join(', ')}` : '';
  const envelope = { type: 'object', properties: { success: { type: 'boolean' }, data: { type: 'object' } } };
  // Public: probes and scrapers carry no credentials.
  const open = { tags: ['Operations'], security: [] };
  return {
    '/health': {
      get: {
        ...open,
        summary: 'Liveness: the process answers',
        operationId: 'health',
        responses: { 200: { description: 'Alive', content: { 'application/json': { schema: envelope } } } },
      },
    },
    '/health/ready': {
      get: {
        ...open,
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
        ...open,
        summary: 'Prometheus metrics',
        operationId: 'metrics',
        responses: {
          200: { description: 'Metrics in the Prometheus text format', content: { 'text/plain': { schema: { type: 'string' } } } },
        },
      },
    },
  };
}

type Operation = { security?: unknown[]; responses?: Record<string, unknown>; requestBody?: unknown };
interface OpenApiDocumentShape {
  info: { license?: unknown };
  servers?: unknown[];
  paths?: object;
  components?: { schemas?: object };
}

const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

/** Every operation of a document with its path and method. */
export function openApiOperations(document: OpenApiDocumentShape): Array<{ path: string; method: string; operation: Operation }> {
  return Object.entries((document.paths ?? {}) as Record<string, object>).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => HTTP_METHODS.has(method))
      .map(([method, operation]) => ({ path, method, operation: operation as Operation })),
  );
}

/**
 * What every service's document says the same way, applied to the finished document (Express and
 * Nest alike): the service answers on the document's own origin (`servers: ['/']`, so that a
 * client or Swagger UI calls where the document came from), its licence, and the 400 the edge
 * answers on any route before routing (`rejectUnstorableInput`: a query or body nested over 32
 * levels, a NUL or unpaired surrogate, a number beyond a double) wherever a route documents none.
 * `publicUnlessSecured`: an operation that declares no security takes none (`security: []`):
 * true where the access rule and its documentation come from one decorator (nest-kit's
 * `Restricted`), so an operation without it is public.
 */
export function finishOpenApiDocument<T extends OpenApiDocumentShape>(document: T, options: { publicUnlessSecured?: boolean } = {}): T {
  if (!document.servers?.length) document.servers = [{ url: '/', description: 'The origin this document is served from' }];
  document.info.license ??= { name: 'MIT', url: 'https://opensource.org/licenses/MIT' };
  const errorSchema = (document.components?.schemas as Record<string, unknown> | undefined)?.ErrorEnvelope
    ? { $ref: '#/components/schemas/ErrorEnvelope' }
    : { type: 'object' };
  for (const { operation } of openApiOperations(document)) {
    if (options.publicUnlessSecured && operation.security === undefined) operation.security = [];
    operation.responses ??= {};
    operation.responses['400'] ??= {
      description: 'Refused at the edge: input nested over 32 levels, a NUL or unpaired surrogate, or a number beyond a double',
      content: { 'application/json': { schema: errorSchema } },
    };
  }
  return document;
}
