import { uniqueName, waitFor } from '@shop/test-kit';
import { useStack } from '../harness/stack';

const address = { line1: '1 Main Street', city: 'Springfield', postalCode: '12345', country: 'US' };

interface NotificationView {
  dedupeKey?: string;
  status: string;
  title: string;
  metadata?: { orderId?: string };
}

/**
 * One customer's whole visit, over HTTP only, as a client app would make it: register, log in,
 * browse the catalogue, fill a cart, check out, get the confirmation, cancel, get the
 * cancellation, with the stock following every step. (Single orders, concurrency and
 * idempotency in detail: tests/e2e/src/orders/.)
 */
describe('a customer’s story across the four services', () => {
  const stack = useStack();

  it('register → log in → browse → cart → checkout → notified → cancel → stock back, notified again', async () => {
    const users = stack.api('user');
    const products = stack.api('product');
    const orders = stack.api('order');
    const notifications = stack.api('notification');

    // The catalogue, as create-test-data.sh makes it (names unique to this run).
    const run = uniqueName('story');
    const electronics = await stack.createCategory(`Electronics ${run}`);
    const laptop = await stack.createProduct({ name: `Laptop Computer ${run}`, price: 999.99, stock: 10, categoryId: electronics.id });
    const mouse = await stack.createProduct({ name: `Wireless Mouse ${run}`, price: 29.99, stock: 50, categoryId: electronics.id });
    const cable = await stack.createProduct({ name: `Cable ${run}`, price: 4.5, stock: 3 }); // another category

    // Register and log in.
    const email = `${run}@e2e.test`;
    const password = 'john-doe-password-1';
    const registered = await users.post('/api/users/register', { firstName: 'John', lastName: 'Doe', email, password });
    expect(registered.status).toBe(201);
    expect(registered.data.data.user).toMatchObject({ email, firstName: 'John', lastName: 'Doe', role: 'customer' });
    expect(JSON.stringify(registered.data)).not.toContain(password);
    const login = await users.post('/api/users/login', { email, password });
    expect(login.status).toBe(200);
    const userId: string = login.data.data.user.id;
    const auth = { Authorization: `Bearer ${login.data.data.token}` };
    const profile = await users.get('/api/users/profile', { headers: auth });
    expect(profile.status).toBe(200);
    expect(profile.data.data.user).toMatchObject({ id: userId, email });

    // Browse: the category, a price filter, a text search, one product.
    const names = (res: { data: { data: { products: Array<{ name: string }> } } }) => res.data.data.products.map((p) => p.name).sort();
    const inCategory = await products.get('/api/products', { params: { categoryId: electronics.id } });
    expect(inCategory.status).toBe(200);
    expect(names(inCategory)).toEqual([laptop.name, mouse.name]);
    expect(inCategory.data.data.pagination).toMatchObject({ page: 1, total: 2 });
    const cheap = await products.get('/api/products', { params: { categoryId: electronics.id, maxPrice: 100 } });
    expect(names(cheap)).toEqual([mouse.name]);
    const searched = await products.get('/api/products', { params: { search: `laptop computer ${run}` } });
    expect(names(searched)).toEqual([laptop.name]);
    const one = await products.get(`/api/products/${laptop.id}`);
    expect(one.data.data.product).toMatchObject({ id: laptop.id, price: 999.99, stock: 10, categoryId: electronics.id });

    // The cart: add, add again, change a quantity, remove a line.
    expect((await orders.post('/api/cart/items', { productId: laptop.id, quantity: 1 }, { headers: auth })).status).toBe(200);
    expect((await orders.post('/api/cart/items', { productId: mouse.id, quantity: 3 }, { headers: auth })).status).toBe(200);
    expect((await orders.post('/api/cart/items', { productId: cable.id, quantity: 2 }, { headers: auth })).status).toBe(200);
    const changed = await orders.patch(`/api/cart/items/${mouse.id}`, { quantity: 2 }, { headers: auth });
    expect(changed.status).toBe(200);
    const removed = await orders.delete(`/api/cart/items/${cable.id}`, { headers: auth });
    expect(removed.status).toBe(200);
    const cart = await orders.get('/api/cart', { headers: auth });
    expect(cart.status).toBe(200);
    expect(cart.data.data.partial).toBe(false);
    expect(cart.data.data.cart).toMatchObject({ itemCount: 3, subtotal: 1059.97 });
    expect(
      Object.fromEntries(cart.data.data.cart.items.map((i: { productId: string; quantity: number }) => [i.productId, i.quantity])),
    ).toEqual({
      [laptop.id]: 1,
      [mouse.id]: 2,
    });
    // Looking at the cart reserves nothing.
    expect((await stack.getProduct(laptop.id)).stock).toBe(10);

    // Checkout: the order, priced by the Product service, the stock taken, the cart emptied.
    const checkout = await orders.post('/api/cart/checkout', { shippingAddress: address }, { headers: auth });
    expect(checkout.status).toBe(201);
    const order = checkout.data.data.order;
    expect(order).toMatchObject({ userId, status: 'confirmed', totalAmount: 1059.97, shippingAddress: address });
    expect(
      order.items.map((i: { productId: string; quantity: number; lineTotal: number }) => [i.productId, i.quantity, i.lineTotal]).sort(),
    ).toEqual(
      [
        [laptop.id, 1, 999.99],
        [mouse.id, 2, 59.98],
      ].sort(),
    );
    expect((await stack.getProduct(laptop.id)).stock).toBe(9);
    expect((await stack.getProduct(mouse.id)).stock).toBe(48);
    expect((await stack.getProduct(cable.id)).stock).toBe(3);
    const emptied = await orders.get('/api/cart', { headers: auth });
    expect(emptied.data.data.cart).toMatchObject({ items: [], itemCount: 0 });
    const mine = await orders.get('/api/orders', { headers: auth });
    expect(mine.data.data.orders.map((o: { id: string }) => o.id)).toEqual([order.id]);

    // The confirmation: delivered by email, and the customer sees it as sent.
    const myNotification = (dedupeKey: string) =>
      waitFor(
        async () => {
          const res = await notifications.get('/api/notifications/me', { headers: auth });
          const found = (res.data.data.notifications as NotificationView[]).filter((n) => n.dedupeKey === dedupeKey);
          return found.length === 1 && found[0].status === 'sent' ? found : undefined;
        },
        { timeoutMs: 20_000, what: `notification ${dedupeKey} to be sent` },
      );
    const confirmation = await myNotification(`order-confirmed:${order.id}`);
    expect(confirmation[0]).toMatchObject({ title: 'Order confirmed', metadata: { orderId: order.id } });
    const mailsAbout = (subject: string) => stack.inbox.messages.filter((m) => m.subject === subject && `${m.text}`.includes(order.id));
    await waitFor(() => mailsAbout('Order confirmed').length > 0, { what: 'the confirmation email' });
    expect(mailsAbout('Order confirmed')).toHaveLength(1);
    expect(mailsAbout('Order confirmed')[0].to).toEqual([email]);
    expect(mailsAbout('Order confirmed')[0].text).toContain('1059.97');

    // Cancel: the stock comes back and the customer is told.
    const cancelled = await orders.post(`/api/orders/${order.id}/cancel`, {}, { headers: auth });
    expect(cancelled.status).toBe(200);
    expect(cancelled.data.data.order.status).toBe('cancelled');
    expect((await stack.getProduct(laptop.id)).stock).toBe(10);
    expect((await stack.getProduct(mouse.id)).stock).toBe(50);
    const cancellation = await myNotification(`order-cancelled:${order.id}`);
    expect(cancellation[0].title).toBe('Order cancelled');
    await waitFor(() => mailsAbout('Order cancelled').length > 0, { what: 'the cancellation email' });
    expect(mailsAbout('Order cancelled')[0].to).toEqual([email]);
    expect((await orders.get(`/api/orders/${order.id}`, { headers: auth })).data.data.order.status).toBe('cancelled');
  });
});
