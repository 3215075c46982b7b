import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { UpstreamRejectionError } from '@shop/errors';
import { createSilentLogger, Metrics } from '@shop/observability';
import type { ReservationDto } from '@shop/service-client';
import { getFreePort, waitFor } from '@shop/test-kit';
import { closeServiceClients, createServiceClients, ServiceClients } from '../clients';
import { createDataSource, Store } from '../database';
import { createTestDatabase, TestDatabase } from '../database.test-helpers';
import { OrderService } from './order.service';
import { StaleOrderSweeper } from './stale-order.sweeper';

const STALE_AFTER_MS = 60_000;
const logger = createSilentLogger();

/**
 * The recovery on a real database. The Product service is absent (a port nobody listens on):
 * its real client fails as it does when the service is down; where a test needs the release to
 * succeed, the client's answer is stubbed. The recovery against the real Product service is in
 * tests/e2e/src/orders/recovery.spec.ts.
 */
describe('StaleOrderSweeper (PostgreSQL)', () => {
  let db: TestDatabase;
  let clients: ServiceClients;

  beforeAll(async () => {
    const nobody = `http://127.0.0.1:${await getFreePort()}`;
    db = await createTestDatabase({
      USER_SERVICE_URL: nobody,
      PRODUCT_SERVICE_URL: nobody,
      NOTIFICATION_SERVICE_URL: nobody,
      SERVICE_TIMEOUT_MS: '500',
    });
    clients = createServiceClients(db.config, logger, new Metrics('order-service', { defaultMetrics: false }));
  });
  afterAll(async () => {
    closeServiceClients(clients);
    await db.close();
  });
  beforeEach(() => db.dataSource.query('TRUNCATE orders CASCADE'));
  afterEach(() => jest.restoreAllMocks());

  const sweeperOn = (store: Store, intervalMs = 1_000) => {
    const metrics = new Metrics('order-service', { defaultMetrics: false });
    const orders = new OrderService({
      store,
      products: clients.products,
      logger,
      limits: { maxLines: 50, maxQuantity: 100 },
      idempotencyWaitMs: 1_000,
    });
    return { sweeper: new StaleOrderSweeper(orders, { intervalMs, staleAfterMs: STALE_AFTER_MS }, logger, metrics), metrics };
  };

  /** A placement that claimed its order `ageMs` ago and got as far as writing its items. */
  const pendingOrder = async (ageMs: number, itemCount = 2) => {
    const order = {
      id: randomUUID(),
      userId: `user-${randomUUID()}`,
      idempotencyKey: `key-${randomUUID()}`,
      requestHash: 'a'.repeat(64),
      shippingAddress: null,
    };
    expect(await db.store.orders.claim(order)).toBe(true);
    if (itemCount > 0) {
      const items = Array.from({ length: itemCount }, () => ({
        productId: randomUUID(),
        productName: 'Lamp',
        unitPrice: '5.00',
        quantity: 1,
        lineTotal: '5.00',
      }));
      await db.store.transaction((repos) => repos.orders.addItems(order.id, items, (5 * itemCount).toFixed(2)));
    }
    await db.dataSource.query(`UPDATE orders SET created_at = now() - make_interval(secs => $2::double precision / 1000) WHERE id = $1`, [
      order.id,
      ageMs,
    ]);
    return order;
  };
  const orderExists = async (id: string) => (await db.store.orders.findById(id)) !== null;
  const itemRows = async (id: string) =>
    (await db.dataSource.query('SELECT count(*)::int AS count FROM order_items WHERE order_id = $1', [id]))[0].count as number;
  const released = (orderId: string): ReservationDto => {
    const now = new Date().toISOString();
    return { orderId, status: 'released', items: [], expiresAt: now, createdAt: now, updatedAt: now };
  };
  /** The Product service answers every release; `onRelease` sees each call first. */
  const releaseSucceeds = (onRelease: (orderId: string) => Promise<void> | void = () => undefined) =>
    jest.spyOn(clients.products, 'release').mockImplementation(async (orderId) => {
      await onRelease(orderId);
      return released(orderId);
    });
  const counted = async (metrics: Metrics) => (await metrics.registry.getSingleMetricAsString('orders_stale_recoveries_total')).split('\n');

  it('releases the stock of a stale pending order, then removes it with its items; younger and finished orders stay', async () => {
    const stale = await pendingOrder(10 * 60_000);
    const young = await pendingOrder(STALE_AFTER_MS / 2);
    const confirmed = await pendingOrder(60 * 60_000);
    await db.store.orders.setStatus(confirmed.id, 'pending', 'confirmed');
    const cancelled = await pendingOrder(60 * 60_000, 0);
    await db.store.orders.setStatus(cancelled.id, 'pending', 'cancelled');

    const stillThereAtRelease: boolean[] = [];
    const release = releaseSucceeds(async (orderId) => {
      stillThereAtRelease.push(await orderExists(orderId));
    });
    const { sweeper, metrics } = sweeperOn(db.store);
    expect(await sweeper.runOnce()).toEqual({ recovered: 1, failed: 0 });

    expect(release.mock.calls).toEqual([[stale.id]]);
    // The order went only after its stock had been given back.
    expect(stillThereAtRelease).toEqual([true]);
    expect(await orderExists(stale.id)).toBe(false);
    expect(await itemRows(stale.id)).toBe(0);
    expect(await db.store.orders.findById(young.id)).toMatchObject({ status: 'pending', items: [expect.anything(), expect.anything()] });
    expect((await db.store.orders.findById(confirmed.id))?.status).toBe('confirmed');
    expect((await db.store.orders.findById(cancelled.id))?.status).toBe('cancelled');
    expect(await counted(metrics)).toContainEqual(
      expect.stringMatching(/^orders_stale_recoveries_total\{outcome="recovered",service="order-service"\} 1$/),
    );

    // The Idempotency-Key is free again: a retry can place the order anew.
    expect(await db.store.orders.claim({ ...stale, id: randomUUID() })).toBe(true);
    expect(await sweeper.runOnce()).toEqual({ recovered: 0, failed: 0 });
  });

  it('removes a stale order whose reservation was never made (404 RESERVATION_NOT_FOUND)', async () => {
    const stale = await pendingOrder(10 * 60_000, 0);
    jest
      .spyOn(clients.products, 'release')
      .mockRejectedValue(
        new UpstreamRejectionError('product-service', 404, 'RESERVATION_NOT_FOUND', `There is no reservation for order ${stale.id}`),
      );
    expect(await sweeperOn(db.store).sweeper.runOnce()).toEqual({ recovered: 1, failed: 0 });
    expect(await orderExists(stale.id)).toBe(false);
  });

  it('keeps the orders whose release failed (Product service down), tries each once a pass, and recovers them when it is back', async () => {
    const first = await pendingOrder(10 * 60_000);
    const second = await pendingOrder(20 * 60_000);
    const { sweeper, metrics } = sweeperOn(db.store);

    // The real client, against a port nobody listens on.
    expect(await sweeper.runOnce()).toEqual({ recovered: 0, failed: 2 });
    for (const order of [first, second]) {
      expect((await db.store.orders.findById(order.id))?.status).toBe('pending');
      expect(await itemRows(order.id)).toBe(2);
    }
    expect(await counted(metrics)).toContainEqual(expect.stringMatching(/outcome="release_failed".* 2$/));

    const release = releaseSucceeds();
    expect(await sweeper.runOnce()).toEqual({ recovered: 2, failed: 0 });
    // Oldest first.
    expect(release.mock.calls).toEqual([[second.id], [first.id]]);
    expect(await orderExists(first.id)).toBe(false);
    expect(await orderExists(second.id)).toBe(false);
  });

  it('lets two sweepers (two instances) running at once recover each stale order exactly once', async () => {
    const stale = [];
    for (let n = 0; n < 12; n += 1) stale.push(await pendingOrder(10 * 60_000 + n));
    const release = releaseSucceeds(() => sleep(20));
    // A second pool stands for a second instance of the service.
    const other = createDataSource(db.config);
    await other.initialize();
    try {
      const results = await Promise.all([sweeperOn(db.store).sweeper.runOnce(), sweeperOn(new Store(other)).sweeper.runOnce()]);
      expect(results.map((r) => r.failed)).toEqual([0, 0]);
      expect(results[0].recovered + results[1].recovered).toBe(stale.length);
      expect(results[0].recovered).toBeGreaterThan(0);
      expect(results[1].recovered).toBeGreaterThan(0);
    } finally {
      await other.destroy();
    }
    const releasedIds = release.mock.calls.map(([id]) => id);
    expect(releasedIds).toHaveLength(stale.length);
    expect(new Set(releasedIds)).toEqual(new Set(stale.map((o) => o.id)));
    const [{ count }] = await db.dataSource.query('SELECT count(*)::int AS count FROM orders');
    expect(count).toBe(0);
  });

  it('passes over an order a placement holds locked, and a placement cannot write into an order being recovered', async () => {
    const stale = await pendingOrder(10 * 60_000, 0);
    const { sweeper } = sweeperOn(db.store);
    const release = releaseSucceeds();

    // A placement confirming its order holds the row lock (order.service.ts moveTo): not touched, not waited for.
    const placement = db.dataSource.createQueryRunner();
    await placement.connect();
    try {
      await placement.startTransaction();
      await placement.query('SELECT id FROM orders WHERE id = $1 FOR UPDATE', [stale.id]);
      expect(await sweeper.runOnce()).toEqual({ recovered: 0, failed: 0 });
      expect(release).not.toHaveBeenCalled();
      await placement.rollbackTransaction();
    } finally {
      await placement.release();
    }

    // A placement that writes its items while the recovery holds the lock waits, then finds no pending order.
    let lateWrite: Promise<boolean> | undefined;
    release.mockImplementation(async (orderId) => {
      lateWrite = db.store.transaction((repos) =>
        repos.orders.addItems(
          orderId,
          [{ productId: randomUUID(), productName: 'Lamp', unitPrice: '5.00', quantity: 1, lineTotal: '5.00' }],
          '5.00',
        ),
      );
      await sleep(50);
      return released(orderId);
    });
    expect(await sweeper.runOnce()).toEqual({ recovered: 1, failed: 0 });
    expect(await lateWrite).toBe(false);
    expect(await orderExists(stale.id)).toBe(false);
    expect(await itemRows(stale.id)).toBe(0);
  });

  it('sweeps on its own once started, until stopped', async () => {
    const release = releaseSucceeds();
    const { sweeper } = sweeperOn(db.store, 20);
    sweeper.start();
    try {
      const stale = await pendingOrder(10 * 60_000);
      await waitFor(async () => !(await orderExists(stale.id)), { timeoutMs: 5_000, what: 'the stale order to be recovered' });
    } finally {
      await sweeper.stop();
    }
    const calls = release.mock.calls.length;
    await pendingOrder(10 * 60_000);
    await sleep(100);
    expect(release.mock.calls.length).toBe(calls);
  });
});
