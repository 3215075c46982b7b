import { applyDecorators, Type } from '@nestjs/common';
import { INestApplication } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiExtraModels,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  ApiSecurity,
  getSchemaPath,
  OpenAPIObject,
  SwaggerModule,
} from '@nestjs/swagger';
import { finishOpenApiDocument, openApiOperations } from '@shop/http-kit';
import { Access, AccessRule } from './access.guard';

/*
 * The shapes and decorators every Nest service documents its routes with (@nestjs/swagger), so
 * that the four documents describe the envelope, the pagination and the credentials alike
 * (express-kit's openapi.schemas.ts holds the same shapes for zod-to-openapi).
 */

export class ErrorDetailView {
  @ApiPropertyOptional({ example: 'body.price' })
  path?: string;

  @ApiProperty({ example: 'price must not have more than 2 decimal places' })
  message: string;
}

/** The error envelope (docs/architecture.md, "Contracts"), the same for every error of every service. */
export class ErrorEnvelope {
  @ApiProperty({ enum: [false] })
  success: false;

  @ApiProperty({ description: 'A sentence for humans', example: 'The request is invalid' })
  error: string;

  @ApiProperty({ description: 'A stable machine code to branch on', example: 'VALIDATION_FAILED' })
  code: string;

  @ApiPropertyOptional({ type: [ErrorDetailView] })
  details?: ErrorDetailView[];

  @ApiProperty({ description: 'The X-Request-Id of the request, for the logs', example: '2b0f9c3e-…' })
  requestId: string;
}

export class PaginationView {
  @ApiProperty({ example: 1 })
  page: number;

  @ApiProperty({ example: 20 })
  limit: number;

  @ApiProperty({ example: 42 })
  total: number;

  @ApiProperty({ example: 3 })
  totalPages: number;
}

/** Names of the two security schemes declared in openapi.ts. */
export const BEARER_SCHEME = 'bearer';
export const INTERNAL_KEY_SCHEME = 'internal-key';

export interface EnvelopeDoc {
  /** The key under `data`: `product`, `products`, ... */
  key: string;
  type: Type<unknown>;
  isArray?: boolean;
  paginated?: boolean;
  status?: number;
  description: string;
}

/** Documents a success envelope `{ success, message?, data: { <key>: <type> } }`. */
export function ApiEnvelope(doc: EnvelopeDoc) {
  const item = { $ref: getSchemaPath(doc.type) };
  const data: Record<string, object> = { [doc.key]: doc.isArray ? { type: 'array', items: item } : item };
  if (doc.paginated) data.pagination = { $ref: getSchemaPath(PaginationView) };
  return applyDecorators(
    ApiExtraModels(doc.type, PaginationView),
    ApiResponse({
      status: doc.status ?? 200,
      description: doc.description,
      schema: {
        type: 'object',
        required: ['success', 'data'],
        properties: {
          success: { type: 'boolean', enum: [true] },
          message: { type: 'string' },
          data: { type: 'object', required: Object.keys(data), properties: data },
        },
      },
    }),
  );
}

/** Documents error answers, each as the error envelope: `ApiErrors([404, 'PRODUCT_NOT_FOUND'], ...)`. */
export function ApiErrors(...errors: Array<[status: number, description: string]>) {
  return applyDecorators(
    ApiExtraModels(ErrorEnvelope),
    ...errors.map(([status, description]) => ApiResponse({ status, description, schema: { $ref: getSchemaPath(ErrorEnvelope) } })),
  );
}

/**
 * The access rule of a route (enforced by the AccessGuard) together with its documentation:
 * which credentials it takes and the 401/403 it answers without them.
 */
export function Restricted(rule: AccessRule) {
  const internal = rule === 'internal' || rule.startsWith('internal-or-');
  const bearer = rule !== 'internal';
  const schemes = [...(internal ? [ApiSecurity(INTERNAL_KEY_SCHEME)] : []), ...(bearer ? [ApiBearerAuth(BEARER_SCHEME)] : [])];
  const errors: Array<[number, string]> = [[401, 'TOKEN_REQUIRED, INVALID_INTERNAL_KEY or INVALID_TOKEN: no or bad credentials']];
  if (rule === 'admin' || rule === 'internal-or-admin') errors.push([403, 'ADMIN_REQUIRED: the token is not an admin’s']);
  return applyDecorators(Access(rule), ...schemes, ApiErrors(...errors));
}

/**
 * A route's operationId: its controller's resource and its handler, `categoryList`,
 * `reservationHeld`. Stable while the handler keeps its name; unique because a controller's
 * handlers are; and a generated client names its method after it.
 */
export function nestOperationId(controllerKey: string, methodKey: string): string {
  const resource = controllerKey.replace(/Controller$/, '');
  return `${resource.charAt(0).toLowerCase()}${resource.slice(1)}${methodKey.charAt(0).toUpperCase()}${methodKey.slice(1)}`;
}

/**
 * The service's OpenAPI document from its controllers' decorators, plus `extraPaths` (routes
 * mounted outside the controllers), finished as every service's is (`finishOpenApiDocument`).
 * A route without `Restricted` passes the AccessGuard with no credentials, so it is documented
 * public. The ValidationPipe refuses unknown body keys (forbidNonWhitelisted), so every request
 * body's schema, and the DTOs it nests, say `additionalProperties: false`.
 */
export function createApiDocument(
  app: INestApplication,
  config: Omit<OpenAPIObject, 'paths'>,
  extraPaths: Record<string, unknown> = {},
): OpenAPIObject {
  const document = SwaggerModule.createDocument(app, config, { operationIdFactory: nestOperationId });
  Object.assign(document.paths, extraPaths);
  const schemas = (document.components?.schemas ?? {}) as Record<string, SchemaObjectLike>;
  const closed = new Set<string>();
  const close = (schema: SchemaObjectLike | undefined): void => {
    if (!schema) return;
    const name = schema.$ref?.replace('#/components/schemas/', '');
    if (name !== undefined) {
      if (closed.has(name)) return;
      closed.add(name);
      return close(schemas[name]);
    }
    if (schema.type === 'object' || schema.properties) {
      // A free-form object (notification metadata) says so itself and stays open.
      schema.additionalProperties ??= false;
      for (const property of Object.values(schema.properties ?? {})) close(property);
    }
    close(schema.items);
    for (const part of [...(schema.allOf ?? []), ...(schema.oneOf ?? []), ...(schema.anyOf ?? [])]) close(part);
  };
  for (const { operation } of openApiOperations(document)) {
    const body = operation.requestBody as { content?: Record<string, { schema?: SchemaObjectLike }> } | undefined;
    for (const media of Object.values(body?.content ?? {})) close(media.schema);
  }
  return finishOpenApiDocument(document, { publicUnlessSecured: true });
}

interface SchemaObjectLike {
  $ref?: string;
  type?: string;
  properties?: Record<string, SchemaObjectLike>;
  items?: SchemaObjectLike;
  additionalProperties?: boolean | object;
  allOf?: SchemaObjectLike[];
  oneOf?: SchemaObjectLike[];
  anyOf?: SchemaObjectLike[];
}
