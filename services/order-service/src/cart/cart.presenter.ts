import { fromCents, lineTotal, toCents } from '../orders/money.rules';
import type { ProductLookup } from '../products/product-lookup';
import type { CartItemEntity } from './cart-item.entity';
import type { CartView } from './cart.schemas';

/** The API shape of a cart, priced from the products as they are now (`products` null: the Product service could not be asked). */
export function toCartView(items: readonly CartItemEntity[], products: ProductLookup): CartView {
  let subtotal = 0;
  const views = items.map((item) => {
    const product = products?.get(item.productId) ?? null;
    // A product that is gone or no longer for sale shows, but costs nothing until it is back.
    const unit = product?.isActive ? toCents(product.price) : null;
    const line = unit === null ? null : lineTotal(unit, item.quantity);
    if (line !== null) subtotal += line;
    return {
      productId: item.productId,
      quantity: item.quantity,
      product,
      unitPrice: unit === null ? null : fromCents(unit),
      lineTotal: line === null ? null : fromCents(line),
    };
  });
  return {
    items: views,
    itemCount: items.reduce((units, item) => units + item.quantity, 0),
    subtotal: products === null ? null : fromCents(subtotal),
  };
}
