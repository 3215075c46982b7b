import type { ProductLookup } from '../products/product-lookup';
import { fromCents, toCents } from './money.rules';
import type { OrderItemEntity } from './order-item.entity';
import type { OrderEntity } from './order.entity';
import type { OrderStatus } from './order-status.rules';
import type { OrderItemView, OrderView } from './order.schemas';

/** What the API shows of an order (an entity, or one just written). */
export type PresentableOrder = Pick<
  OrderEntity,
  'id' | 'userId' | 'status' | 'totalAmount' | 'shippingAddress' | 'createdAt' | 'updatedAt'
> & {
  items?: ReadonlyArray<Pick<OrderItemEntity, 'id' | 'productId' | 'productName' | 'unitPrice' | 'quantity' | 'lineTotal'>>;
};

/**
 * The API shape of a stored order: numeric text becomes exact two-decimal numbers. Abandoned
 * orders are never shown (the reads leave them out), so the status is a public one.
 */
export function toOrderView(order: PresentableOrder, products: ProductLookup): OrderView {
  return {
    id: order.id,
    userId: order.userId,
    status: order.status as OrderStatus,
    totalAmount: fromCents(toCents(order.totalAmount)),
    shippingAddress: order.shippingAddress ?? null,
    items: (order.items ?? []).map((item) => toOrderItemView(item, products)),
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
  };
}

function toOrderItemView(item: NonNullable<PresentableOrder['items']>[number], products: ProductLookup): OrderItemView {
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
