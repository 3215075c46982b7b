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

type Operation = { security?: unknown[]; responses?: Record<string, unknown>; requestBody?: unknown; parameters?: unknown[] };
interface OpenApiDocumentShape {
  info: { license?: unknown };
  servers?: unknown[];
  paths?: object;
  components?: { schemas?: object };
}

const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

/** The edge's NUL rule as a JSON Schema pattern (written for ECMAScript and Python's `re` alike). */
export const NO_NUL_PATTERN = '^[^\\u0000]*$';

/**
 * A string schema's pattern with the edge's NUL rule (`rejectUnstorableInput`) added: free text
 * gets NO_NUL_PATTERN; a pattern not anchored at both ends (`\S`: some visible character, which
 * a NUL is too; look-aheads) is kept, behind a look-ahead that refuses a NUL anywhere. A pattern
 * anchored at both ends is taken to say exactly what it allows.
 */
export function withoutNul(pattern: string | undefined): string {
  if (pattern === undefined) return NO_NUL_PATTERN;
  if (pattern.startsWith('^') && pattern.endsWith('$') && !pattern.endsWith('\\$')) return pattern;
  return `^(?![\\s\\S]*\\u0000)${pattern.startsWith('^') ? '' : '[\\s\\S]*?'}(?:${pattern})`;
}

/**
 * Gives every string of a request's schemas (its parameters and body, through their `$ref`s)
 * that has no enum or format the edge's rule that refuses a NUL, so the document allows no string
 * the API refuses. Answers keep their schemas: an error names the field it refused, NUL and all.
 * Keys of free-form objects cannot be constrained in OpenAPI 3.0 (no `propertyNames`): the schema
 * that has them says so in words.
 */
function forbidNul(schema: unknown, components: Record<string, unknown>, seen = new Set<string>()): void {
  if (typeof schema !== 'object' || schema === null) return;
  const s = schema as Record<string, unknown>;
  if (typeof s.$ref === 'string') {
    const name = s.$ref.replace('#/components/schemas/', '');
    if (seen.has(name)) return;
    seen.add(name);
    return forbidNul(components[name], components, seen);
  }
  if (s.type === 'string' && s.enum === undefined && s.format === undefined) s.pattern = withoutNul(s.pattern as string | undefined);
  const children = [
    ...Object.values((s.properties as object | undefined) ?? {}),
    s.items,
    s.additionalProperties,
    ...['allOf', 'anyOf', 'oneOf'].flatMap((key) => (s[key] as unknown[] | undefined) ?? []),
  ];
  for (const child of children) forbidNul(child, components, seen);
}

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
 * levels, a NUL or unpaired surrogate, a number beyond a double) wherever a route documents none,
 * and that edge's NUL rule on every string a request carries (`forbidNul`). `publicUnlessSecured`: an operation that declares no security takes none (`security: []`):
 * true where the access rule and its documentation come from one decorator (nest-kit's
 * `Restricted`), so an operation without it is public.
 */
export function finishOpenApiDocument<T extends OpenApiDocumentShape>(document: T, options: { publicUnlessSecured?: boolean } = {}): T {
  if (!document.servers?.length) document.servers = [{ url: '/', description: 'The origin this document is served from' }];
  document.info.license ??= { name: 'MIT', url: 'https://opensource.org/licenses/MIT' };
  const errorSchema = (document.components?.schemas as Record<string, unknown> | undefined)?.ErrorEnvelope
    ? { $ref: '#/components/schemas/ErrorEnvelope' }
    : { type: 'object' };
  const components = (document.components?.schemas ?? {}) as Record<string, unknown>;
  const inRequests = new Set<string>();
  for (const { operation } of openApiOperations(document)) {
    for (const parameter of operation.parameters ?? []) forbidNul((parameter as { schema?: unknown }).schema, components, inRequests);
    for (const media of Object.values((operation.requestBody as { content?: object } | undefined)?.content ?? {})) {
      forbidNul((media as { schema?: unknown }).schema, components, inRequests);
    }
    if (options.publicUnlessSecured && operation.security === undefined) operation.security = [];
    operation.responses ??= {};
    operation.responses['400'] ??= {
      description: 'Refused at the edge: input nested over 32 levels, a NUL or unpaired surrogate, or a number beyond a double',
      content: { 'application/json': { schema: errorSchema } },
    };
  }
  return document;
}
