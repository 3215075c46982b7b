import { z } from 'zod';

/** Shapes shared by the routes and their documentation: page query, money, the success envelope, the product snapshot (the error envelope and pagination come from express-kit). */

export const PageQuerySchema = z.strictObject({
  // Bounded so that the OFFSET stays a number PostgreSQL accepts.
  page: z.coerce.number().int().min(1).max(100_000).default(1).meta({ description: 'Page number, from 1' }),
  limit: z.coerce.number().int().min(1).max(100).default(20).meta({ description: 'Items per page (at most 100)' }),
});

export const money = (description: string) => z.number().meta({ description: `${description} (exact, two decimals)`, example: 2089.95 });

/** The product as the Product service describes it now (ProductDto in @shop/service-client). */
export const ProductSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    description: z.string().nullable().optional(),
    price: money('Current unit price'),
    categoryId: z.string(),
    stock: z.number().int(),
    tags: z.array(z.string()),
    isActive: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Product' });

export const PartialFlag = z.boolean().meta({
  description:
    'True when the Product service could not be asked (down, slow or its circuit open): every `product` is then null. The rest of the answer is complete.',
});

export function successEnvelope<T extends z.ZodType>(data: T) {
  return z.object({ success: z.literal(true), message: z.string().optional(), data });
}

export function pagination(page: number, limit: number, total: number) {
  return { page, limit, total, totalPages: Math.ceil(total / limit) };
}
