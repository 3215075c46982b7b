import { z } from 'zod';

/**
 * The shapes every Express service documents with zod-to-openapi, so that the four documents
 * describe the envelope and the pagination alike (nest-kit's api-docs.ts holds the same shapes
 * for @nestjs/swagger).
 */
export const errorEnvelopeSchema = z
  .object({
    success: z.literal(false),
    error: z.string().meta({ description: 'A sentence for humans', example: 'The request is invalid' }),
    code: z.string().meta({ description: 'A stable machine code to branch on', example: 'VALIDATION_FAILED' }),
    details: z.array(z.object({ path: z.string().optional().meta({ example: 'body.email' }), message: z.string() })).optional(),
    requestId: z.string().meta({ description: 'The X-Request-Id of the request, for the logs' }),
  })
  .meta({ id: 'ErrorEnvelope' });

/** `{ success: true, message?, data }`: the answer of every route that succeeds, around its own `data`. */
export function successEnvelopeSchema<T extends z.ZodType>(data: T) {
  return z.object({ success: z.literal(true), message: z.string().optional(), data });
}

export const paginationSchema = z
  .object({
    page: z.number().int(),
    limit: z.number().int(),
    total: z.number().int(),
    totalPages: z.number().int(),
  })
  .meta({ id: 'Pagination' });

/** The bearer-token security scheme every Express service documents (`bearerAuth`), with its own description. */
export const bearerAuthScheme = (description: string) => ({ type: 'http' as const, scheme: 'bearer', bearerFormat: 'JWT', description });
