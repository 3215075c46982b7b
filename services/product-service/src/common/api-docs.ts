import { applyDecorators, Type } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiResponse, ApiSecurity, getSchemaPath } from '@nestjs/swagger';
import { Access, AccessRule, ErrorEnvelope, PaginationView } from '@shop/nest-kit';

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
 * The access rule of a route (enforced by nest-kit's AccessGuard) together with its
 * documentation: which credentials it takes and the 401/403 it answers without them.
 */
export function Restricted(rule: Extract<AccessRule, 'internal' | 'admin' | 'internal-or-admin'>) {
  const internal = [ApiSecurity(INTERNAL_KEY_SCHEME)];
  const admin = [ApiBearerAuth(BEARER_SCHEME)];
  const schemes = rule === 'internal' ? internal : rule === 'admin' ? admin : [...internal, ...admin];
  const errors: Array<[number, string]> = [[401, 'TOKEN_REQUIRED, INVALID_INTERNAL_KEY or INVALID_TOKEN: no or bad credentials']];
  if (rule !== 'internal') errors.push([403, 'ADMIN_REQUIRED: the token is not an admin’s']);
  return applyDecorators(Access(rule), ...schemes, ApiErrors(...errors));
}
