import { ConflictError, NotFoundError, UnprocessableError } from '@shop/errors';
import { MAX_STOCK } from './product.rules';

/** The refusals of the catalogue, shared by product and reservation rules. */
export const productNotFound = (id: string) => new NotFoundError(`Product ${id} does not exist`, { code: 'PRODUCT_NOT_FOUND' });

/** A reservation naming unknown products (and maybe inactive ones): every one is listed with its reason. */
export const productsNotFound = (products: ReadonlyArray<{ productId: string; reason: 'not_found' | 'inactive' }>) =>
  new NotFoundError(`Not found or not for sale: ${products.map((p) => p.productId).join(', ')}`, {
    code: 'PRODUCT_NOT_FOUND',
    details: products.map(({ productId, reason }) => ({
      message: reason === 'not_found' ? 'the product does not exist' : 'the product is inactive',
      productId,
      reason,
    })),
  });

export const productsInactive = (products: ReadonlyArray<{ id: string; name: string }>) =>
  products.length === 1
    ? productInactive(products[0])
    : new ConflictError(`${products.map((p) => `"${p.name}" (${p.id})`).join(', ')} are not for sale`, {
        code: 'PRODUCT_INACTIVE',
        details: products.map((p) => ({ message: 'the product is inactive', productId: p.id })),
      });

export const insufficientStock = (product: { id: string; name: string; stock: number }, requested: number) =>
  new ConflictError(`Not enough stock of "${product.name}": ${requested} requested, ${product.stock} available`, {
    code: 'INSUFFICIENT_STOCK',
    details: [{ message: 'not enough stock', productId: product.id, requested, available: product.stock }],
  });

export const productInactive = (product: { id: string; name: string }) =>
  new ConflictError(`"${product.name}" (${product.id}) is not for sale`, {
    code: 'PRODUCT_INACTIVE',
    details: [{ message: 'the product is inactive', productId: product.id }],
  });

export const stockLimitExceeded = (product: { id: string; name: string; stock: number }, added: number) =>
  new UnprocessableError(`Adding ${added} to the stock of "${product.name}" (${product.stock}) would exceed ${MAX_STOCK}`, {
    code: 'STOCK_LIMIT_EXCEEDED',
  });

/** Stock moves only by deltas (and reservations), so a correction can never erase a concurrent move. */
export const stockNotSettable = (id: string) =>
  new UnprocessableError(
    `The stock of product ${id} is not set by a product update: move it by a delta with PUT /api/products/${id}/stock {"quantity": <delta>}`,
    { code: 'STOCK_NOT_SETTABLE', details: [{ path: 'body.stock', message: 'use PUT /api/products/{id}/stock with a delta' }] },
  );
