import type { Logger } from '@shop/observability';
import type { ProductDto, ProductServiceClient } from '@shop/service-client';

/** Products by id, or null when the Product service could not be asked. */
export type ProductLookup = ReadonlyMap<string, ProductDto> | null;

/** The most ids the Product service's batch read takes at once. */
const MAX_IDS_PER_BATCH = 100;

/**
 * Current product data for reads that can live without it (order and cart views): one batch
 * call for all the ids (a page of 100 orders with many products may need a few, sent together).
 * When the Product service is down, slow or its circuit is open the answer is `null`: the
 * caller shows `product: null` and `partial: true` instead of failing.
 */
export async function lookupProducts(
  products: Pick<ProductServiceClient, 'getProducts'>,
  productIds: Iterable<string>,
  logger: Logger,
): Promise<ProductLookup> {
  const ids = [...new Set(productIds)];
  if (ids.length === 0) return new Map();
  const batches: string[][] = [];
  for (let start = 0; start < ids.length; start += MAX_IDS_PER_BATCH) batches.push(ids.slice(start, start + MAX_IDS_PER_BATCH));
  try {
    const found = (await Promise.all(batches.map((batch) => products.getProducts(batch)))).flat();
    return new Map(found.map((p) => [p.id, p]));
  } catch (err) {
    logger.warn({ err, productCount: ids.length }, 'product data unavailable, answering without it');
    return null;
  }
}
