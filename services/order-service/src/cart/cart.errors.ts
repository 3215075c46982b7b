import { NotFoundError, UnprocessableError } from '@shop/errors';

/** The refusals of the cart, shared by its use cases. */

export const productNotForSale = (productId: string) => new NotFoundError(`Product not found: ${productId}`, { code: 'PRODUCT_NOT_FOUND' });

export const cartFull = (maxLines: number) =>
  new UnprocessableError(`A cart holds at most ${maxLines} different products`, { code: 'CART_FULL' });

export const cartItemNotFound = (productId: string) =>
  new NotFoundError(`Product ${productId} is not in the cart`, { code: 'CART_ITEM_NOT_FOUND' });

export const cartEmpty = () => new UnprocessableError('The cart is empty', { code: 'CART_EMPTY' });
