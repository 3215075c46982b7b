import { cartProductParamsSchema, cartRequestSchemas } from './cart/cart.schemas';
import { orderIdParamsSchema, orderRequestSchemas } from './orders/order.schemas';

const ID = 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11';
const LIMITS = { maxLines: 10, maxQuantity: 10 };

/**
 * PostgreSQL compares uuid columns without regard to case, but the outbox's dedupe keys are
 * text: an id must be spelt one way from the edge on, or a cancel by
 * `/api/orders/A0EE…/cancel` misses the release its own transaction queued.
 */
describe('ids taken from a request', () => {
  it('are lower-cased at the edge, wherever they come in', () => {
    const upper = ID.toUpperCase();
    expect(orderIdParamsSchema.parse({ id: upper }).id).toBe(ID);
    expect(cartProductParamsSchema.parse({ productId: upper }).productId).toBe(ID);
    expect(cartRequestSchemas(LIMITS).addItem.parse({ productId: upper, quantity: 1 }).productId).toBe(ID);
    expect(orderRequestSchemas(LIMITS).createOrder.parse({ items: [{ productId: upper, quantity: 1 }] }).items[0].productId).toBe(ID);
  });

  it('must still be UUIDs', () => {
    expect(orderIdParamsSchema.safeParse({ id: 'not-a-uuid' }).success).toBe(false);
  });
});
