import { OpenAPIRegistry, OpenApiGeneratorV3, ResponseConfig, RouteConfig } from '@asteasolutions/zod-to-openapi';
import { bearerAuthScheme, errorEnvelopeSchema, paginationSchema, successEnvelopeSchema } from '@shop/express-kit';
import { finishOpenApiDocument, operationsOpenApiPaths } from '@shop/http-kit';
import { INTERNAL_KEY_HEADER } from '@shop/internal-auth';
import { z } from 'zod';
import { authResultSchema, loginBodySchema, registerBodySchema, tokenValidationSchema, validateTokenBodySchema } from './auth/auth.schemas';
import { listUsersQuerySchema, updateProfileBodySchema, userDtoSchema, userIdParamsSchema } from './users/user.schemas';

/**
 * The OpenAPI document, built from the very zod schemas the routes validate with: what the
 * docs promise is what the service enforces.
 */

const json = (schema: z.ZodType) => ({ 'application/json': { schema } });

const ERROR_MEANINGS: Record<number, string> = {
  400: 'Invalid input (VALIDATION_FAILED with details, MALFORMED_JSON)',
  401: 'Missing or invalid credentials',
  403: 'Authenticated, but not allowed',
  404: 'Not found',
  409: 'Conflict with the current state',
  413: 'The body is larger than BODY_LIMIT (PAYLOAD_TOO_LARGE)',
  429: 'Rate limited: wait for the Retry-After header (seconds)',
  503: 'The user database is unreachable; retry after Retry-After',
};

/** The success envelope and the errors a route can answer with (every route reads the database: 503 too). */
function responses(ok: { status: number; description: string; data: z.ZodType }, errors: Record<number, string>) {
  const all: Record<number, ResponseConfig> = {
    [ok.status]: { description: ok.description, content: json(successEnvelopeSchema(ok.data)) },
  };
  for (const [status, codes] of Object.entries({ ...errors, 503: 'DATABASE_UNAVAILABLE' })) {
    all[Number(status)] = { description: `${ERROR_MEANINGS[Number(status)]}: ${codes}`, content: json(errorEnvelopeSchema) };
  }
  return all;
}

const bearer = [{ bearerAuth: [] }];
const internal = [{ internalKey: [] }];
const userData = z.object({ user: userDtoSchema });

const routes: RouteConfig[] = [
  {
    method: 'post',
    path: '/api/users/register',
    operationId: 'registerUser',
    tags: ['Auth'],
    summary: 'Create a customer account and sign in',
    security: [],
    request: { body: { content: json(registerBodySchema), required: true } },
    responses: responses(
      { status: 201, description: 'Registered; the token is ready to use', data: authResultSchema },
      { 400: 'VALIDATION_FAILED, MALFORMED_JSON', 409: 'USER_ALREADY_EXISTS', 413: 'PAYLOAD_TOO_LARGE', 429: 'TOO_MANY_REQUESTS' },
    ),
  },
  {
    method: 'post',
    path: '/api/users/login',
    operationId: 'login',
    tags: ['Auth'],
    summary: 'Sign in with email and password',
    security: [],
    description: 'Failed attempts are limited per (email, client address); further attempts get 429 until Retry-After.',
    request: { body: { content: json(loginBodySchema), required: true } },
    responses: responses(
      { status: 200, description: 'Signed in', data: authResultSchema },
      { 400: 'VALIDATION_FAILED', 401: 'INVALID_CREDENTIALS', 429: 'TOO_MANY_LOGIN_ATTEMPTS, TOO_MANY_REQUESTS' },
    ),
  },
  {
    method: 'get',
    path: '/api/users/profile',
    operationId: 'getProfile',
    tags: ['Profile'],
    summary: "The caller's profile",
    security: bearer,
    responses: responses({ status: 200, description: 'The profile', data: userData }, { 401: 'TOKEN_REQUIRED, INVALID_TOKEN' }),
  },
  {
    method: 'put',
    path: '/api/users/profile',
    operationId: 'updateProfile',
    tags: ['Profile'],
    summary: "Change the caller's names, phone or password",
    description: 'A password change needs `currentPassword`, revokes every earlier token and returns a new one.',
    security: bearer,
    request: { body: { content: json(updateProfileBodySchema), required: true } },
    responses: responses(
      {
        status: 200,
        description: 'Updated',
        data: z.object({ user: userDtoSchema, token: z.string().optional(), expiresAt: z.iso.datetime().optional() }),
      },
      {
        400: 'VALIDATION_FAILED (also for email, role or any other unknown field)',
        401: 'TOKEN_REQUIRED, INVALID_TOKEN',
        403: 'INVALID_CURRENT_PASSWORD',
        409: 'PASSWORD_CHANGED_CONCURRENTLY',
        429: 'TOO_MANY_PASSWORD_ATTEMPTS',
      },
    ),
  },
  {
    method: 'get',
    path: '/api/users',
    operationId: 'listUsers',
    tags: ['Admin'],
    summary: 'List users, newest first (admins only)',
    security: bearer,
    request: { query: listUsersQuerySchema },
    responses: responses(
      { status: 200, description: 'A page of users', data: z.object({ users: z.array(userDtoSchema), pagination: paginationSchema }) },
      { 400: 'VALIDATION_FAILED', 401: 'TOKEN_REQUIRED, INVALID_TOKEN', 403: 'FORBIDDEN' },
    ),
  },
  {
    method: 'get',
    path: '/api/users/internal/{userId}',
    operationId: 'getUserForService',
    tags: ['Internal'],
    summary: 'A user with contact details, for other services',
    security: internal,
    request: { params: userIdParamsSchema },
    responses: responses(
      { status: 200, description: 'The user', data: userData },
      { 400: 'VALIDATION_FAILED (malformed id)', 401: 'INVALID_INTERNAL_KEY', 404: 'USER_NOT_FOUND' },
    ),
  },
  {
    method: 'post',
    path: '/api/users/internal/validate-token',
    operationId: 'validateToken',
    tags: ['Internal'],
    summary: 'The user behind a bearer token, for other services',
    security: internal,
    request: { body: { content: json(validateTokenBodySchema), required: true } },
    responses: responses(
      { status: 200, description: 'The token is valid; do not trust it past expiresAt', data: tokenValidationSchema },
      { 400: 'VALIDATION_FAILED', 401: 'INVALID_INTERNAL_KEY, INVALID_TOKEN' },
    ),
  },
];

export function buildOpenApiDocument(): ReturnType<OpenApiGeneratorV3['generateDocument']> {
  const document = generate();
  Object.assign(document.paths ?? {}, operationsOpenApiPaths({ required: ['mongodb'] }));
  return finishOpenApiDocument(document);
}

function generate(): ReturnType<OpenApiGeneratorV3['generateDocument']> {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearerAuth', bearerAuthScheme('The token from /api/users/login or /api/users/register'));
  registry.registerComponent('securitySchemes', 'internalKey', {
    type: 'apiKey',
    in: 'header',
    name: 'X-Internal-Key',
    description: `Service-to-service key (${INTERNAL_KEY_HEADER}); any of the comma-separated INTERNAL_API_KEY values`,
  });
  for (const route of routes) registry.registerPath(route);
  return new OpenApiGeneratorV3(registry.definitions).generateDocument({
    openapi: '3.0.3',
    info: {
      title: 'User service',
      version: '1.0.0',
      description:
        'Accounts, sign-in (JWT) and user look-ups for the other services. Every error is `{ success: false, error, code, details?, requestId }`.',
    },
    tags: [
      { name: 'Auth', description: 'Registration and sign-in' },
      { name: 'Profile', description: "The signed-in user's own account" },
      { name: 'Admin', description: 'For admins only' },
      { name: 'Internal', description: 'For the other services (X-Internal-Key)' },
      { name: 'Operations', description: 'Health and metrics' },
    ],
  });
}
