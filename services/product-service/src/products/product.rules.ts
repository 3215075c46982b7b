/**
 * The catalogue's numeric limits. Stock stays far below PostgreSQL's integer range, so that
 * `stock + delta` can never overflow in the conditional updates.
 */
export const MAX_STOCK = 1_000_000_000;

/** Tags are matched without regard to case or repeats: stored trimmed, lower-case, once each. */
export function normalizeTags(tags: readonly string[]): string[] {
  return [...new Set(tags.map((tag) => tag.trim().toLowerCase()).filter((tag) => tag.length > 0))];
}

/** The sort orders of the product list: a field, `-` first for descending. */
export const PRODUCT_SORTS = ['createdAt', '-createdAt', 'price', '-price', 'name', '-name', 'stock', '-stock'] as const;
export type ProductSort = (typeof PRODUCT_SORTS)[number];
export const DEFAULT_PRODUCT_SORT: ProductSort = '-createdAt';
