import type { ProductLookup } from '../products/product-lookup';
import { fromCents, toCents } from './money';
import type { OrderItemEntity } from './order-item.entity';
import type { OrderEntity } from './order.entity';
import type { OrderItemView, OrderView } from './order.schemas';

/** The API shape of a stored order: numeric text becomes exact two-decimal numbers. */
export function toOrderView(order: OrderEntity, products: ProductLookup): OrderView {
  return {
    id: order.id,
    userId: order.userId,
    status: order.status,
    totalAmount: fromCents(toCents(order.totalAmount)),
    shippingAddress: order.shippingAddress ?? null,
    items: (order.items ?? []).map((item) => toOrderItemView(item, products)),
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
  };
}

function toOrderItemView(item: OrderItemEntity, products: ProductLookup): OrderItemView {
  return {
    id: item.id,
    productId: item.productId,
    productName: item.productName,
    unitPrice: fromCents(toCents(item.unitPrice)),
    quantity: item.quantity,
    lineTotal: fromCents(toCents(item.lineTotal)),
    product: products?.get(item.productId) ?? null,
  };
}
