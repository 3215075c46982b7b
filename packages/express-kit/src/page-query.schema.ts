import { z } from 'zod';
import { capLimit, PAGINATION } from '@shop/contracts';

/** `?page=&limit=` of every Express list, by the one rule of @shop/errors' PAGINATION (`.extend()` it with filters). */
export const pageQuerySchema = z.strictObject({
  page: z.coerce.number().int().min(1).max(PAGINATION.maxPage).default(1).meta({ description: 'Page number, from 1' }),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    // zod refuses an unsafe integer anyway; said here so that the document says it too.
    .max(Number.MAX_SAFE_INTEGER)
    .default(PAGINATION.defaultLimit)
    .transform(capLimit)
    .meta({ description: `Items per page (values above ${PAGINATION.maxLimit} are served at ${PAGINATION.maxLimit})` }),
});
