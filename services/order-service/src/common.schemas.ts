import { z } from 'zod';

/** Shapes shared by the routes and their documentation: money, the product snapshot (the envelopes and pagination come from express-kit). */

/**
 * An id taken from a request (path, body), spelt in lower case from here on: PostgreSQL's uuid
 * columns ignore case, but the ids also go into text (the outbox's dedupe keys, the
 * Notification service's dedupe keys, logs), and one order spelt two ways misses its own rows there.
 */
export const requestId = (description?: string) => {
  const id = z.uuid().toLowerCase();
  return description ? id.meta({ description }) : id;
};

export const money = (description: string) => z.number().meta({ description: `${description} (exact, two decimals)`, example: 2089.95 });

/** The product as the Product service describes it now (ProductDto in @shop/contracts). */
export const productSchema = z
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

export const partialFlagSchema = z.boolean().meta({
  description:
    'True when the Product service could not be asked (down, slow or its circuit open): every `product` is then null. The rest of the answer is complete.',
});
