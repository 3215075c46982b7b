import { z } from 'zod';
import { successEnvelopeSchema } from '@shop/express-kit';
import { money, partialFlagSchema, productSchema, requestId } from '../common.schemas';
import { OrderLimits, shippingAddressSchema } from '../orders/order.schemas';

export function cartRequestSchemas(limits: OrderLimits) {
  const quantity = z.number().int().min(1).max(limits.maxQuantity);
  return {
    addItem: z
      .strictObject({
        productId: requestId(),
        quantity: quantity.meta({ description: `Added to what the cart holds already; the line is capped at ${limits.maxQuantity}` }),
      })
      .meta({ id: 'AddCartItemRequest' }),
    setQuantity: z.strictObject({ quantity }).meta({ id: 'SetCartItemQuantityRequest' }),
    checkout: z.strictObject({ shippingAddress: shippingAddressSchema.optional() }).meta({ id: 'CheckoutRequest' }),
  };
}

export type CartRequestSchemas = ReturnType<typeof cartRequestSchemas>;

export const cartProductParamsSchema = z.strictObject({ productId: requestId('Product id') });

export const cartItemSchema = z
  .object({
    productId: z.uuid(),
    quantity: z.number().int(),
    product: productSchema.nullable().meta({
      description: 'Current product data; null if the product is gone or the Product service is unavailable',
    }),
    unitPrice: money('Current unit price').nullable(),
    lineTotal: money('unitPrice × quantity').nullable(),
  })
  .meta({ id: 'CartItem' });

export const cartSchema = z
  .object({
    items: z.array(cartItemSchema),
    itemCount: z.number().int().meta({ description: 'Units in the cart' }),
    subtotal: money('Sum of the line totals of the products for sale now').nullable().meta({
      description: 'Sum of the line totals of the products for sale now (exact, two decimals); null when partial',
    }),
  })
  .meta({ id: 'Cart' });

export type CartView = z.infer<typeof cartSchema>;

export const cartEnvelopeSchema = successEnvelopeSchema(z.object({ cart: cartSchema, partial: partialFlagSchema })).meta({
  id: 'CartResponse',
});
