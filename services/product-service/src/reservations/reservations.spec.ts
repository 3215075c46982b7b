import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { createCategory, createProduct, INTERNAL, startTestApp, storedStock, TestApp } from '../app.test-helpers';

describe('reservations', () => {
  let t: TestApp;
  let categoryId: string;

  beforeAll(async () => {
    t = await startTestApp();
    categoryId = await createCategory(t.http, 'Reservable');
  });
  afterAll(async () => {
    await t?.close();
  });

  const reserve = (orderId: string, items: Array<{ productId: string; quantity: number }>) =>
    request(t.http).post('/api/reservations').set(INTERNAL).send({ orderId, items });
  const confirm = (orderId: string) => request(t.http).post(`/api/reservations/${orderId}/confirm`).set(INTERNAL);
  const release = (orderId: string) => request(t.http).post(`/api/reservations/${orderId}/release`).set(INTERNAL);
  const product = (name: string, stock: number, price = 10) => createProduct(t.http, { name, price, categoryId, stock });
  const stock = (productId: string) => storedStock(t.dataSource, productId);

  it('reserves every line in one go and returns the contract’s ReservationDto with the unit prices used', async () => {
    const laptop = await product('Laptop', 5, 999.99);
    const mouse = await product('Mouse', 10, 29.99);
    const orderId = randomUUID();
    const res = await reserve(orderId, [
      { productId: mouse.id, quantity: 2 },
      { productId: laptop.id, quantity: 1 },
    ]).expect(201);
    const reservation = res.body.data.reservation;
    expect(Object.keys(reservation).sort()).toEqual(['createdAt', 'expiresAt', 'items', 'orderId', 'status', 'updatedAt']);
    expect(reservation).toMatchObject({ orderId, status: 'reserved' });
    expect(reservation.items).toEqual(
      expect.arrayContaining([
        { productId: laptop.id, name: 'Laptop', quantity: 1, unitPrice: 999.99 },
        { productId: mouse.id, name: 'Mouse', quantity: 2, unitPrice: 29.99 },
      ]),
    );
    expect(reservation.items).toHaveLength(2);
    expect(Date.parse(reservation.expiresAt) - Date.parse(reservation.createdAt)).toBe(t.config.RESERVATION_TTL_MS);
    expect([await stock(laptop.id), await stock(mouse.id)]).toEqual([4, 8]);

    const read = await request(t.http).get(`/api/reservations/${orderId}`).set(INTERNAL).expect(200);
    expect(read.body.data.reservation).toEqual(reservation);
  });

  it('keeps the reserved price when the product’s price changes later', async () => {
    const item = await product('Repriced', 5, 20);
    const orderId = randomUUID();
    await reserve(orderId, [{ productId: item.id, quantity: 1 }]).expect(201);
    await request(t.http).put(`/api/products/${item.id}`).set(INTERNAL).send({ price: 25 }).expect(200);
    const read = await request(t.http).get(`/api/reservations/${orderId}`).set(INTERNAL).expect(200);
    expect(read.body.data.reservation.items[0].unitPrice).toBe(20);
  });

  it('adds up repeated lines of one product', async () => {
    const item = await product('Merged', 10);
    const res = await reserve(randomUUID(), [
      { productId: item.id, quantity: 2 },
      { productId: item.id.toUpperCase(), quantity: 3 },
    ]).expect(201);
    expect(res.body.data.reservation.items).toEqual([{ productId: item.id, name: 'Merged', quantity: 5, unitPrice: 10 }]);
    expect(await stock(item.id)).toBe(5);
  });

  it('200 concurrent orders of 1 unit against a stock of 50: exactly 50 succeed, 150 get 409, stock ends at 0', async () => {
    const item = await product('Limited edition', 50);
    const results = await Promise.all(Array.from({ length: 200 }, () => reserve(randomUUID(), [{ productId: item.id, quantity: 1 }])));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(50);
    expect(statuses.filter((s) => s === 409)).toHaveLength(150);
    expect(new Set(results.filter((r) => r.status === 409).map((r) => r.body.code))).toEqual(new Set(['INSUFFICIENT_STOCK']));
    expect(await stock(item.id)).toBe(0);
    // Exactly the successful reservations hold the 50 units; the refused ones left no trace.
    const rows: Array<{ reservations: number; units: number }> = await t.dataSource.query(
      'SELECT count(*)::int AS reservations, sum(quantity)::int AS units FROM reservation_items WHERE product_id = $1',
      [item.id],
    );
    expect(rows[0]).toEqual({ reservations: 50, units: 50 });
    // Never negative: the CHECK constraint would have refused it outright.
    const checks: Array<{ def: string }> = await t.dataSource.query(
      `SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conname = 'products_stock_non_negative'`,
    );
    expect(checks[0].def).toBe('CHECK ((stock >= 0))');
  });

  it('a 3-line reservation with one short line reserves nothing (409 naming the product, with requested/available)', async () => {
    const [a, b, c] = await Promise.all([product('Line A', 5), product('Line B short', 1), product('Line C', 5)]);
    const orderId = randomUUID();
    const res = await reserve(orderId, [
      { productId: a.id, quantity: 2 },
      { productId: b.id, quantity: 2 },
      { productId: c.id, quantity: 2 },
    ]).expect(409);
    expect(res.body.code).toBe('INSUFFICIENT_STOCK');
    expect(res.body.error).toContain('Line B short');
    expect(res.body.details[0]).toMatchObject({ productId: b.id, requested: 2, available: 1 });
    expect([await stock(a.id), await stock(b.id), await stock(c.id)]).toEqual([5, 1, 5]);
    await request(t.http).get(`/api/reservations/${orderId}`).set(INTERNAL).expect(404);
    // The order id was not used up: the same order can reserve once the request fits.
    await reserve(orderId, [{ productId: a.id, quantity: 2 }]).expect(201);
  });

  it('an unknown product makes the whole reservation 404 PRODUCT_NOT_FOUND (naming it) and moves nothing', async () => {
    const known = await product('Known', 5);
    const unknown = randomUUID();
    const res = await reserve(randomUUID(), [
      { productId: known.id, quantity: 1 },
      { productId: unknown, quantity: 1 },
    ]).expect(404);
    expect(res.body.code).toBe('PRODUCT_NOT_FOUND');
    expect(res.body.error).toContain(unknown);
    expect(await stock(known.id)).toBe(5);
  });

  it('an inactive product cannot be reserved (409 PRODUCT_INACTIVE)', async () => {
    const withdrawn = await createProduct(t.http, { name: 'Withdrawn', price: 1, categoryId, stock: 5, isActive: false });
    const res = await reserve(randomUUID(), [{ productId: withdrawn.id, quantity: 1 }]).expect(409);
    expect(res.body.code).toBe('PRODUCT_INACTIVE');
    expect(await stock(withdrawn.id)).toBe(5);
  });

  it('a repeat with the same order id returns the reservation (200) and moves the stock once', async () => {
    const item = await product('Idempotent', 10);
    const orderId = randomUUID();
    const items = [{ productId: item.id, quantity: 3 }];
    const first = await reserve(orderId, items).expect(201);
    const again = await reserve(orderId, items).expect(200);
    expect(again.body.data.reservation).toEqual(first.body.data.reservation);
    expect(await stock(item.id)).toBe(7);
  });

  // A repeat is how a caller recovers an answer it lost: it gets the reservation made, whatever
  // became of the products since (docs/order-protocol.md: a 4xx means nothing is held).
  it('a repeat after the product was deactivated answers the reservation made (200), and one with other lines 409 RESERVATION_MISMATCH', async () => {
    const item = await product('Withdrawn after reserve', 10);
    const orderId = randomUUID();
    const items = [{ productId: item.id, quantity: 3 }];
    const first = await reserve(orderId, items).expect(201);
    await request(t.http).put(`/api/products/${item.id}`).set(INTERNAL).send({ isActive: false }).expect(200);
    const again = await reserve(orderId, items);
    expect([again.status, again.body.code]).toEqual([200, undefined]);
    expect(again.body.data.reservation).toEqual(first.body.data.reservation);
    const other = await reserve(orderId, [{ productId: item.id, quantity: 4 }]);
    expect([other.status, other.body.code]).toEqual([409, 'RESERVATION_MISMATCH']);
    expect(await stock(item.id)).toBe(7);
  });

  it('a repeat after the stock ran out answers the reservation made (200) and takes nothing more', async () => {
    const item = await product('Sold out after reserve', 5);
    const orderId = randomUUID();
    const items = [{ productId: item.id, quantity: 3 }];
    const first = await reserve(orderId, items).expect(201);
    await reserve(randomUUID(), [{ productId: item.id, quantity: 2 }]).expect(201);
    const again = await reserve(orderId, items);
    expect([again.status, again.body.code]).toEqual([200, undefined]);
    expect(again.body.data.reservation).toEqual(first.body.data.reservation);
    expect(await stock(item.id)).toBe(0);
  });

  it('10 concurrent repeats of one order reserve once: one 201, nine 200, stock moved once', async () => {
    const item = await product('Concurrent repeat', 10);
    const orderId = randomUUID();
    const results = await Promise.all(Array.from({ length: 10 }, () => reserve(orderId, [{ productId: item.id, quantity: 4 }])));
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    expect(await stock(item.id)).toBe(6);
  });

  it('the same order id with different items is 409 RESERVATION_MISMATCH and moves nothing', async () => {
    const item = await product('Mismatch', 10);
    const orderId = randomUUID();
    await reserve(orderId, [{ productId: item.id, quantity: 1 }]).expect(201);
    const res = await reserve(orderId, [{ productId: item.id, quantity: 2 }]).expect(409);
    expect(res.body.code).toBe('RESERVATION_MISMATCH');
    expect(await stock(item.id)).toBe(9);
  });

  it('release restores the stock exactly; a second release is harmless', async () => {
    const [a, b] = await Promise.all([product('Release A', 10), product('Release B', 3)]);
    const orderId = randomUUID();
    await reserve(orderId, [
      { productId: a.id, quantity: 4 },
      { productId: b.id, quantity: 3 },
    ]).expect(201);
    expect([await stock(a.id), await stock(b.id)]).toEqual([6, 0]);

    const released = await release(orderId).expect(200);
    expect(released.body.data.reservation.status).toBe('released');
    expect([await stock(a.id), await stock(b.id)]).toEqual([10, 3]);

    const again = await release(orderId).expect(200);
    expect(again.body.data.reservation.status).toBe('released');
    expect([await stock(a.id), await stock(b.id)]).toEqual([10, 3]);
  });

  it('concurrent releases of one reservation give the stock back once', async () => {
    const item = await product('Release race', 10);
    const orderId = randomUUID();
    await reserve(orderId, [{ productId: item.id, quantity: 6 }]).expect(201);
    const results = await Promise.all(Array.from({ length: 8 }, () => release(orderId)));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(await stock(item.id)).toBe(10);
  });

  it('confirm keeps the stock taken (repeat is a no-op); release after confirm restores it', async () => {
    const item = await product('Confirmed', 10);
    const orderId = randomUUID();
    await reserve(orderId, [{ productId: item.id, quantity: 2 }]).expect(201);
    const confirmed = await confirm(orderId).expect(200);
    expect(confirmed.body.data.reservation.status).toBe('confirmed');
    await confirm(orderId).expect(200);
    expect(await stock(item.id)).toBe(8);
    // A repeated reserve still answers with the (confirmed) reservation.
    const repeat = await reserve(orderId, [{ productId: item.id, quantity: 2 }]).expect(200);
    expect(repeat.body.data.reservation.status).toBe('confirmed');

    await release(orderId).expect(200);
    expect(await stock(item.id)).toBe(10);
  });

  it('a released reservation cannot be confirmed or reserved again (409 RESERVATION_NOT_ACTIVE)', async () => {
    const item = await product('Released', 10);
    const orderId = randomUUID();
    const items = [{ productId: item.id, quantity: 1 }];
    await reserve(orderId, items).expect(201);
    await release(orderId).expect(200);
    expect((await confirm(orderId).expect(409)).body.code).toBe('RESERVATION_NOT_ACTIVE');
    expect((await reserve(orderId, items).expect(409)).body.code).toBe('RESERVATION_NOT_ACTIVE');
    expect(await stock(item.id)).toBe(10);
  });

  it('a product that has been reserved cannot be deleted (409 PRODUCT_IN_USE); it can be deactivated', async () => {
    const item = await product('Ordered once', 5);
    await reserve(randomUUID(), [{ productId: item.id, quantity: 1 }]).expect(201);
    const res = await request(t.http).delete(`/api/products/${item.id}`).set(INTERNAL).expect(409);
    expect(res.body.code).toBe('PRODUCT_IN_USE');
    await request(t.http).put(`/api/products/${item.id}`).set(INTERNAL).send({ isActive: false }).expect(200);
  });

  it('answers 404 RESERVATION_NOT_FOUND for an unknown order and 400 for an id that is not a UUID', async () => {
    const unknown = randomUUID();
    for (const call of [confirm(unknown), request(t.http).get(`/api/reservations/${unknown}`).set(INTERNAL)]) {
      const res = await call;
      expect([res.status, res.body.code]).toEqual([404, 'RESERVATION_NOT_FOUND']);
    }
    const bad = await release('order-1').expect(400);
    expect(bad.body.code).toBe('INVALID_ID');
  });

  it('a release that comes before its reservation marks the order released, so the late reserve is refused and takes nothing', async () => {
    const item = await product('Overtaken', 5);
    const orderId = randomUUID();
    const released = await release(orderId).expect(200);
    expect(released.body.data.reservation).toMatchObject({ orderId, status: 'released', items: [] });
    const late = await reserve(orderId, [{ productId: item.id, quantity: 2 }]).expect(409);
    expect(late.body.code).toBe('RESERVATION_NOT_ACTIVE');
    expect(await stock(item.id)).toBe(5);
    await release(orderId).expect(200);
    expect(await stock(item.id)).toBe(5);
  });

  it('with confirm: true the stock is held as confirmed at once, and a repeat changes nothing', async () => {
    const item = await product('Sold at once', 5, 12.5);
    const orderId = randomUUID();
    const body = { orderId, items: [{ productId: item.id, quantity: 2 }], confirm: true };
    const first = await request(t.http).post('/api/reservations').set(INTERNAL).send(body).expect(201);
    expect(first.body.data.reservation).toMatchObject({
      status: 'confirmed',
      items: [{ productId: item.id, quantity: 2, unitPrice: 12.5 }],
    });
    await request(t.http).post('/api/reservations').set(INTERNAL).send(body).expect(200);
    expect(await stock(item.id)).toBe(3);
    await release(orderId).expect(200);
    expect(await stock(item.id)).toBe(5);
  });

  it('names every unknown or inactive product of a reservation at once, and moves nothing', async () => {
    const good = await product('Available', 5);
    const inactive = await createProduct(t.http, { name: 'Withdrawn', price: 3, categoryId, stock: 5, isActive: false });
    const unknown = randomUUID();
    const res = await reserve(randomUUID(), [
      { productId: good.id, quantity: 1 },
      { productId: inactive.id, quantity: 1 },
      { productId: unknown, quantity: 1 },
    ]).expect(404);
    expect(res.body.code).toBe('PRODUCT_NOT_FOUND');
    expect(res.body.details.map((d: { productId: string; reason: string }) => [d.productId, d.reason]).sort()).toEqual(
      [
        [inactive.id, 'inactive'],
        [unknown, 'not_found'],
      ].sort(),
    );
    expect(await stock(good.id)).toBe(5);
  });

  it('lists held reservations oldest first a keyset page at a time, and looks many up at once', async () => {
    const item = await product('Listed', 100);
    const since = new Date();
    const ids = Array.from({ length: 5 }, () => randomUUID());
    for (const id of ids) await reserve(id, [{ productId: item.id, quantity: 1 }]).expect(201);
    await release(ids[2]).expect(200);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await request(t.http)
        .get('/api/reservations/held')
        .query({ createdAfter: since.toISOString(), limit: 2, ...(cursor ? { cursor } : {}) })
        .set(INTERNAL)
        .expect(200);
      seen.push(...page.body.data.reservations.map((r: { orderId: string }) => r.orderId));
      cursor = page.body.data.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(ids.filter((_, i) => i !== 2));

    const looked = await request(t.http)
      .post('/api/reservations/lookup')
      .set(INTERNAL)
      .send({ orderIds: [ids[2], ids[0], randomUUID()] })
      .expect(200);
    expect(looked.body.data.reservations.map((r: { orderId: string; status: string }) => [r.orderId, r.status]).sort()).toEqual(
      [
        [ids[0], 'reserved'],
        [ids[2], 'released'],
      ].sort(),
    );
    const badCursor = await request(t.http).get('/api/reservations/held').query({ cursor: 'bm9wZQ' }).set(INTERNAL).expect(400);
    expect(badCursor.body.code).toBe('INVALID_CURSOR');
  });

  it('validates the body', async () => {
    const item = await product('Validated', 5);
    const cases: object[] = [
      {},
      { orderId: 'nope', items: [{ productId: item.id, quantity: 1 }] },
      { orderId: randomUUID(), items: [] },
      { orderId: randomUUID(), items: [{ productId: item.id, quantity: 0 }] },
      { orderId: randomUUID(), items: [{ productId: item.id, quantity: 1.5 }] },
      { orderId: randomUUID(), items: [{ productId: item.id, quantity: 10_001 }] },
      { orderId: randomUUID(), items: [{ productId: 'x', quantity: 1 }] },
      { orderId: randomUUID(), items: [null] },
      { orderId: randomUUID(), items: Array.from({ length: 101 }, () => ({ productId: item.id, quantity: 1 })) },
      { orderId: randomUUID(), items: [{ productId: item.id, quantity: 1, price: 0.01 }] },
    ];
    for (const body of cases) {
      const res = await request(t.http).post('/api/reservations').set(INTERNAL).send(body);
      expect([body, res.status, res.body.code]).toEqual([body, 400, 'VALIDATION_FAILED']);
    }
    expect(await stock(item.id)).toBe(5);
  });

  it('is internal: without the key, or with a bearer token instead, it answers 401', async () => {
    const orderId = randomUUID();
    const noKey = await request(t.http).post('/api/reservations').send({ orderId, items: [] }).expect(401);
    expect(noKey.body.code).toBe('INVALID_INTERNAL_KEY');
    await request(t.http).get(`/api/reservations/${orderId}`).set('Authorization', 'Bearer some.admin.token').expect(401);
    await request(t.http).post(`/api/reservations/${orderId}/release`).set('X-Internal-Key', 'wrong').expect(401);
  });
});
