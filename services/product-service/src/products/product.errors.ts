import { ConflictError, NotFoundError, UnprocessableError } from '@shop/errors';
import { MAX_STOCK } from './product.rules';

/** The refusals of the catalogue, shared by product and reservation rules. */
export const productNotFound = (id: string) => new NotFoundError(`Product ${id} does not exist`, { code: 'PRODUCT_NOT_FOUND' });

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
