import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { waitFor } from '@shop/test-kit';
import { createCategory, createProduct, INTERNAL, startTestApp, storedStock, TestApp } from '../app.test-helpers';
import { ReservationsService } from './reservations.service';
import { ReservationSweeper } from './reservation.sweeper';

/**
 * Reservations live 1 ms here. The app's own sweeper is set to an hour, so each test decides
 * when expiry happens: by calling the sweeper, or by touching the reservation.
 */
describe('reservation expiry', () => {
  let t: TestApp;
  let categoryId: string;

  beforeAll(async () => {
    t = await startTestApp({ RESERVATION_TTL_MS: '1', RESERVATION_SWEEP_INTERVAL_MS: '3600000' });
    categoryId = await createCategory(t.http, 'Perishable');
  });
  afterAll(async () => {
    await t?.close();
  });

  const reserve = (orderId: string, productId: string, quantity: number) =>
    request(t.http)
      .post('/api/reservations')
      .set(INTERNAL)
      .send({ orderId, items: [{ productId, quantity }] });
  const status = async (orderId: string) =>
    (await request(t.http).get(`/api/reservations/${orderId}`).set(INTERNAL).expect(200)).body.data.reservation.status;
  /** Waits (without assuming how long 1 ms takes) until the database clock has passed the reservation's expiry. */
  const untilDue = (orderId: string) =>
    waitFor(async () => {
      const rows: Array<{ due: boolean }> = await t.dataSource.query(
        'SELECT expires_at < now() AS due FROM reservations WHERE order_id = $1',
        [orderId],
      );
      return rows[0].due;
    });
  const sweeper = () => t.app.get(ReservationSweeper);

  it('the sweeper returns the stock of a reservation not confirmed in time, and marks it expired', async () => {
    const item = await createProduct(t.http, { name: 'Sweep me', price: 1, categoryId, stock: 10 });
    const orderId = randomUUID();
    await reserve(orderId, item.id, 3).expect(201);
    expect(await storedStock(t.dataSource, item.id)).toBe(7);
    await untilDue(orderId);

    expect(await sweeper().sweep()).toBeGreaterThanOrEqual(1);
    expect(await storedStock(t.dataSource, item.id)).toBe(10);
    expect(await status(orderId)).toBe('expired');

    // Releasing an expired reservation is a harmless no-op; sweeping again moves nothing.
    const released = await request(t.http).post(`/api/reservations/${orderId}/release`).set(INTERNAL).expect(200);
    expect(released.body.data.reservation.status).toBe('expired');
    await sweeper().sweep();
    expect(await storedStock(t.dataSource, item.id)).toBe(10);
  });

  it('a confirm that comes too late finds the reservation expired (409) and the stock returned', async () => {
    const item = await createProduct(t.http, { name: 'Late confirm', price: 1, categoryId, stock: 4 });
    const orderId = randomUUID();
    await reserve(orderId, item.id, 4).expect(201);
    await untilDue(orderId);

    const res = await request(t.http).post(`/api/reservations/${orderId}/confirm`).set(INTERNAL).expect(409);
    expect(res.body.code).toBe('RESERVATION_NOT_ACTIVE');
    expect(res.body.error).toContain('expired');
    expect(await storedStock(t.dataSource, item.id)).toBe(4);
    expect(await status(orderId)).toBe('expired');
  });

  it('a repeated reserve of an expired reservation is refused (409) and the stock returned, not taken again', async () => {
    const item = await createProduct(t.http, { name: 'Late repeat', price: 1, categoryId, stock: 5 });
    const orderId = randomUUID();
    await reserve(orderId, item.id, 2).expect(201);
    await untilDue(orderId);

    const res = await reserve(orderId, item.id, 2).expect(409);
    expect(res.body.code).toBe('RESERVATION_NOT_ACTIVE');
    expect(await storedStock(t.dataSource, item.id)).toBe(5);
  });

  it('a confirmed reservation never expires', async () => {
    const item = await createProduct(t.http, { name: 'Kept', price: 1, categoryId, stock: 5 });
    const orderId = randomUUID();
    await reserve(orderId, item.id, 2).expect(201);
    // Confirm inside the reservation's lifetime by moving its expiry forward first.
    await t.dataSource.query(`UPDATE reservations SET expires_at = now() + interval '1 hour' WHERE order_id = $1`, [orderId]);
    await request(t.http).post(`/api/reservations/${orderId}/confirm`).set(INTERNAL).expect(200);
    await t.dataSource.query(`UPDATE reservations SET expires_at = now() - interval '1 hour' WHERE order_id = $1`, [orderId]);

    await sweeper().sweep();
    expect(await status(orderId)).toBe('confirmed');
    expect(await storedStock(t.dataSource, item.id)).toBe(3);
  });

  it('expires many reservations in batches', async () => {
    const item = await createProduct(t.http, { name: 'Bulk', price: 1, categoryId, stock: 130 });
    const orderIds = Array.from({ length: 120 }, () => randomUUID());
    const results = await Promise.all(orderIds.map((orderId) => reserve(orderId, item.id, 1)));
    expect(results.every((r) => r.status === 201)).toBe(true);
    expect(await storedStock(t.dataSource, item.id)).toBe(10);
    await untilDue(orderIds[orderIds.length - 1]);

    expect(await t.app.get(ReservationsService).expireDue(50)).toBeGreaterThanOrEqual(120);
    expect(await storedStock(t.dataSource, item.id)).toBe(130);
  });

  it('two replicas sweeping at once expire each reservation once and return its stock once', async () => {
    // Another instance on the same database, as a second pod runs; its own sweeper only when asked.
    const replica = await startTestApp({ RESERVATION_TTL_MS: '1', RESERVATION_SWEEP_INTERVAL_MS: '3600000' }, t.db);
    try {
      const item = await createProduct(t.http, { name: 'Twice swept', price: 1, categoryId, stock: 250 });
      await sweeper().sweep();
      const orderIds = Array.from({ length: 240 }, () => randomUUID());
      for (let i = 0; i < orderIds.length; i += 40) {
        const batch = await Promise.all(orderIds.slice(i, i + 40).map((orderId) => reserve(orderId, item.id, 1)));
        expect(batch.every((r) => r.status === 201)).toBe(true);
      }
      expect(await storedStock(t.dataSource, item.id)).toBe(10);
      await untilDue(orderIds[orderIds.length - 1]);

      const passes = await Promise.all([sweeper().sweep(), replica.app.get(ReservationSweeper).sweep()]);
      // Each reservation counted by exactly one of the two (a row taken twice would count twice).
      expect(passes[0] + passes[1]).toBe(orderIds.length);
      expect(await storedStock(t.dataSource, item.id)).toBe(250);
      const [{ expired }] = await t.dataSource.query(
        `SELECT count(*)::int AS expired FROM reservations WHERE order_id = ANY($1::uuid[]) AND status = 'expired'`,
        [orderIds],
      );
      expect(expired).toBe(orderIds.length);
    } finally {
      await replica.close();
    }
  });

  it('skips a reservation another transaction has locked (SKIP LOCKED), and expires it once free', async () => {
    const item = await createProduct(t.http, { name: 'Locked', price: 1, categoryId, stock: 3 });
    const orderId = randomUUID();
    await reserve(orderId, item.id, 1).expect(201);
    await untilDue(orderId);

    const holder = t.dataSource.createQueryRunner();
    await holder.connect();
    try {
      await holder.startTransaction();
      await holder.query('SELECT 1 FROM reservations WHERE order_id = $1 FOR UPDATE', [orderId]);
      // Would hang (and time the test out) if the sweeper waited for the lock.
      expect(await sweeper().sweep()).toBe(0);
      expect(await storedStock(t.dataSource, item.id)).toBe(2);
      await holder.rollbackTransaction();
    } finally {
      await holder.release();
    }
    expect(await sweeper().sweep()).toBe(1);
    expect(await storedStock(t.dataSource, item.id)).toBe(3);
  });

  it('the sweeper runs on its own every RESERVATION_SWEEP_INTERVAL_MS once the app has started', async () => {
    const item = await createProduct(t.http, { name: 'Timer', price: 1, categoryId, stock: 2 });
    // A second instance on the same database, with a short interval.
    const sweeping = await startTestApp({ RESERVATION_TTL_MS: '1', RESERVATION_SWEEP_INTERVAL_MS: '50' }, t.db);
    try {
      const orderId = randomUUID();
      await reserve(orderId, item.id, 2).expect(201);
      await waitFor(async () => (await storedStock(t.dataSource, item.id)) === 2, { what: 'the timed sweep to return the stock' });
      expect(await status(orderId)).toBe('expired');
    } finally {
      await sweeping.close();
    }
  });
});
