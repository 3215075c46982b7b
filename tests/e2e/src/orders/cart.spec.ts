import { randomUUID } from 'node:crypto';
import { waitFor } from '@shop/test-kit';
import { RegisteredUser, useStack } from '../harness/stack';
import { address, orderRowsOf } from './order-helpers';

/** The cart, checked out through the same order flow, with the real User and Product services. */
describe('cart', () => {
  const stack = useStack();

  const cart = () => stack.api('order');
  const add = (user: RegisteredUser, productId: string, quantity: number) =>
    cart().post('/api/cart/items', { productId, quantity }, { headers: user.auth });
  const quantities = (body: { data: { cart: { items: Array<{ productId: string; quantity: number }> } } }) =>
    Object.fromEntries(body.data.cart.items.map((i) => [i.productId, i.quantity]));

  it('adds, changes, removes, and checks out into an order, after which the cart is empty', async () => {
    const user = await stack.registerUser();
    const laptop = await stack.createProduct({ price: 999.99, stock: 10 });
    const mouse = await stack.createProduct({ price: 29.99, stock: 10 });
    const cable = await stack.createProduct({ price: 4.5, stock: 10 });

    expect((await add(user, laptop.id, 1)).status).toBe(200);
    const added = await add(user, laptop.id, 1);
    expect(quantities(added.data)).toEqual({ [laptop.id]: 2 });
    await add(user, mouse.id, 1);
    await add(user, cable.id, 4);
    const changed = await cart().patch(`/api/cart/items/${mouse.id}`, { quantity: 3 }, { headers: user.auth });
    expect(changed.status).toBe(200);
    const removed = await cart().delete(`/api/cart/items/${cable.id}`, { headers: user.auth });
    expect(removed.status).toBe(200);

    const read = await cart().get('/api/cart', { headers: user.auth });
    expect(read.status).toBe(200);
    expect(read.data.data.partial).toBe(false);
    expect(quantities(read.data)).toEqual({ [laptop.id]: 2, [mouse.id]: 3 });
    expect(read.data.data.cart).toMatchObject({ itemCount: 5, subtotal: 2089.95 });
    const laptopLine = read.data.data.cart.items.find((i: { productId: string }) => i.productId === laptop.id);
    expect(laptopLine).toMatchObject({ unitPrice: 999.99, lineTotal: 1999.98, product: { id: laptop.id, name: laptop.name } });

    const checkout = await cart().post('/api/cart/checkout', { shippingAddress: address }, { headers: user.auth });
    expect(checkout.status).toBe(201);
    expect(checkout.data.data.order).toMatchObject({
      status: 'confirmed',
      totalAmount: 2089.95,
      userId: user.id,
      shippingAddress: address,
    });
    expect((await stack.getProduct(laptop.id)).stock).toBe(8);
    expect((await stack.getProduct(mouse.id)).stock).toBe(7);
    expect((await stack.getProduct(cable.id)).stock).toBe(10);

    const after = await cart().get('/api/cart', { headers: user.auth });
    expect(after.data.data.cart).toEqual({ items: [], itemCount: 0, subtotal: 0 });
    const empty = await cart().post('/api/cart/checkout', {}, { headers: user.auth });
    expect(empty.status).toBe(422);
    expect(empty.data.code).toBe('CART_EMPTY');
  });

  it('keeps the cart when checkout fails for lack of stock', async () => {
    const user = await stack.registerUser();
    const scarce = await stack.createProduct({ price: 10, stock: 2 });
    const plenty = await stack.createProduct({ price: 1, stock: 100 });
    await add(user, plenty.id, 5);
    await add(user, scarce.id, 3);

    const res = await cart().post('/api/cart/checkout', {}, { headers: user.auth });
    expect(res.status).toBe(409);
    expect(res.data.code).toBe('INSUFFICIENT_STOCK');
    expect(res.data.error).toContain(scarce.name);
    expect(quantities((await cart().get('/api/cart', { headers: user.auth })).data)).toEqual({ [plenty.id]: 5, [scarce.id]: 3 });
    expect((await stack.getProduct(plenty.id)).stock).toBe(100);
    expect((await stack.getProduct(scarce.id)).stock).toBe(2);
    expect(await stack.query('order', 'SELECT id FROM orders WHERE user_id = $1', [user.id])).toEqual([]);
  });

  it('orders a cart once when it is checked out several times at once without an Idempotency-Key', async () => {
    const user = await stack.registerUser();
    const laptop = await stack.createProduct({ price: 999.99, stock: 10 });
    const mouse = await stack.createProduct({ price: 29.99, stock: 10 });
    await add(user, laptop.id, 2);
    await add(user, mouse.id, 1);

    const answers = await Promise.all([1, 2, 3].map(() => cart().post('/api/cart/checkout', {}, { headers: user.auth })));

    // A checkout that read the cart before the winner committed finds it changed (409); one that
    // read it after finds it empty (422). Either way it placed nothing.
    expect(answers.filter((r) => r.status === 201)).toHaveLength(1);
    for (const refused of answers.filter((r) => r.status !== 201)) {
      expect([refused.status, refused.data.code]).toEqual(refused.status === 409 ? [409, 'CART_CHANGED'] : [422, 'CART_EMPTY']);
    }
    expect(quantities((await cart().get('/api/cart', { headers: user.auth })).data)).toEqual({});
    // The refused placements' reservations are released and their orders removed by the relay.
    await waitFor(async () => (await orderRowsOf(stack, user.id)).length === 1, { what: 'the refused checkouts to be released' });
    expect((await orderRowsOf(stack, user.id)).map((o) => o.status)).toEqual(['confirmed']);
    await waitFor(async () => (await stack.getProduct(laptop.id)).stock === 8, { what: 'the laptops of refused checkouts back in stock' });
    expect((await stack.getProduct(mouse.id)).stock).toBe(9);
  });

  it('returns the same order when a checkout with an Idempotency-Key is retried after it emptied the cart', async () => {
    const user = await stack.registerUser();
    const product = await stack.createProduct({ price: 2.5, stock: 10 });
    await add(user, product.id, 2);
    const headers = { ...user.auth, 'Idempotency-Key': `cart-${randomUUID()}` };
    const first = await cart().post('/api/cart/checkout', {}, { headers });
    const retry = await cart().post('/api/cart/checkout', {}, { headers });
    expect(first.status).toBe(201);
    expect(retry.status).toBe(200);
    expect(retry.data.data.order.id).toBe(first.data.data.order.id);
    expect((await stack.getProduct(product.id)).stock).toBe(8);
  });

  it('refuses an empty-cart checkout whose Idempotency-Key belongs to a different request: 422 IDEMPOTENCY_KEY_REUSED', async () => {
    const user = await stack.registerUser();
    const product = await stack.createProduct({ price: 3, stock: 10 });
    const key = `cart-${randomUUID()}`;
    const headers = { ...user.auth, 'Idempotency-Key': key };
    // The key first placed an order directly, then a checkout of an (empty) cart carries it.
    const direct = await stack.api('order').post('/api/orders', { items: [{ productId: product.id, quantity: 1 }] }, { headers });
    expect(direct.status).toBe(201);
    const otherAddress = await cart().post('/api/cart/checkout', { shippingAddress: address }, { headers });
    expect([otherAddress.status, otherAddress.data.code]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);

    // A checkout retried with another address than its first attempt is a different request too.
    await add(user, product.id, 2);
    const checkoutHeaders = { ...user.auth, 'Idempotency-Key': `cart-${randomUUID()}` };
    expect((await cart().post('/api/cart/checkout', {}, { headers: checkoutHeaders })).status).toBe(201);
    const moved = await cart().post('/api/cart/checkout', { shippingAddress: address }, { headers: checkoutHeaders });
    expect([moved.status, moved.data.code]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
    expect((await stack.getProduct(product.id)).stock).toBe(7);
  });

  it('refuses unknown products, bad quantities and missing lines', async () => {
    const user = await stack.registerUser();
    const product = await stack.createProduct({ price: 1, stock: 1 });
    const unknown = await add(user, randomUUID(), 1);
    expect(unknown.status).toBe(404);
    expect(unknown.data.code).toBe('PRODUCT_NOT_FOUND');
    expect((await add(user, product.id, 0)).status).toBe(400);
    expect((await add(user, 'nope', 1)).status).toBe(400);
    expect((await cart().patch(`/api/cart/items/${product.id}`, { quantity: 2 }, { headers: user.auth })).data.code).toBe(
      'CART_ITEM_NOT_FOUND',
    );
    expect((await cart().delete(`/api/cart/items/${product.id}`, { headers: user.auth })).status).toBe(404);

    // A line is capped, and clearing empties the cart.
    await add(user, product.id, 90);
    expect(quantities((await add(user, product.id, 90)).data)).toEqual({ [product.id]: 100 });
    const cleared = await cart().delete('/api/cart', { headers: user.auth });
    expect(cleared.status).toBe(200);
    expect(cleared.data.data.cart.items).toEqual([]);
    expect((await cart().get('/api/cart')).status).toBe(401);
  });
});
