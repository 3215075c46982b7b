import { z } from 'zod';
import { pageQuerySchema, paginationSchema, successEnvelopeSchema } from '@shop/express-kit';
import { money, partialFlagSchema, productSchema, requestId } from '../common.schemas';
import { ORDER_STATUSES } from './order-status.rules';

export interface OrderLimits {
  maxLines: number;
  maxQuantity: number;
}

export const shippingAddressSchema = z
  .strictObject({
    line1: z.string().trim().min(1).max(200),
    line2: z.string().trim().min(1).max(200).optional(),
    city: z.string().trim().min(1).max(100),
    postalCode: z.string().trim().min(1).max(20),
    country: z.string().trim().min(2).max(100),
  })
  .meta({ id: 'ShippingAddress' });

export const orderLineSchema = (limits: OrderLimits) =>
  z.strictObject({
    productId: requestId(),
    quantity: z.number().int().min(1).max(limits.maxQuantity),
  });

/** Request schemas; their limits come from the configuration. */
export function orderRequestSchemas(limits: OrderLimits) {
  return {
    createOrder: z
      .strictObject({
        items: z
          .array(orderLineSchema(limits))
          .min(1)
          .max(limits.maxLines)
          .meta({ description: `1 to ${limits.maxLines} lines; lines of the same product are merged` }),
        shippingAddress: shippingAddressSchema.optional(),
      })
      .meta({ id: 'CreateOrderRequest' }),
  };
}

/** `GET /api/orders`: a page by number, or the next one by the cursor the previous page gave out. */
export const orderListQuerySchema = pageQuerySchema
  .extend({
    cursor: z
      .string()
      .max(200)
      .regex(/^[A-Za-z0-9_-]+$/, 'must be a nextCursor given out by this service')
      .optional()
      .meta({
        description:
          'The `pagination.nextCursor` of the previous page: the next page, as cheap however deep (when sent, `page` is ignored)',
      }),
  })
  .meta({ id: 'OrderListQuery' });

export const orderIdParamsSchema = z.strictObject({ id: requestId('Order id') });

export const updateOrderStatusBodySchema = z.strictObject({ status: z.enum(ORDER_STATUSES) }).meta({ id: 'UpdateOrderStatusRequest' });

/** `Idempotency-Key` header: any visible ASCII text, 1 to 200 characters. */
export const idempotencyKeySchema = z
  .string()
  .regex(/^[\x21-\x7e]{1,200}$/, 'must be 1 to 200 visible ASCII characters')
  .meta({ description: 'Makes the request safe to retry: the same key (per user) always yields the same order, once' });

export const orderItemSchema = z
  .object({
    id: z.uuid(),
    productId: z.uuid(),
    productName: z.string().meta({ description: 'Name when ordered (snapshot)' }),
    unitPrice: money('Unit price when ordered (snapshot)'),
    quantity: z.number().int(),
    lineTotal: money('unitPrice × quantity'),
    product: productSchema.nullable().meta({
      description:
        'The product as it is now; null in the answer to placing an order (read the order to see it), if the product is gone, or if the Product service is unavailable',
    }),
  })
  .meta({ id: 'OrderItem' });

export const orderSchema = z
  .object({
    id: z.uuid(),
    userId: z.string(),
    status: z.enum(ORDER_STATUSES),
    totalAmount: money('Sum of the line totals'),
    // Its own meta keeps the nullable copy inline: a bare `.nullable()` marked the registered
    // ShippingAddress itself nullable, and the requests that use it seemed to take null.
    shippingAddress: shippingAddressSchema.nullable().meta({ description: 'null when the order was placed without one' }),
    items: z.array(orderItemSchema),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Order' });

export type OrderView = z.infer<typeof orderSchema>;
export type OrderItemView = z.infer<typeof orderItemSchema>;

export const orderEnvelopeSchema = successEnvelopeSchema(z.object({ order: orderSchema })).meta({ id: 'OrderResponse' });
export const orderReadEnvelopeSchema = successEnvelopeSchema(z.object({ order: orderSchema, partial: partialFlagSchema })).meta({
  id: 'OrderReadResponse',
});
export const orderListPaginationSchema = paginationSchema
  .extend({
    nextCursor: z.string().nullable().meta({ description: 'Send it back as `cursor` for the next page; null on the last page' }),
  })
  .meta({ id: 'OrderListPagination' });

export const orderListEnvelopeSchema = successEnvelopeSchema(
  z.object({ orders: z.array(orderSchema), pagination: orderListPaginationSchema, partial: partialFlagSchema }),
).meta({ id: 'OrderListResponse' });
