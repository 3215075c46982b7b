import { randomUUID } from 'node:crypto';
import { createSilentLogger, Metrics } from '@shop/observability';
import { getFreePort, waitFor } from '@shop/test-kit';
import { closeServiceClients, createServiceClients, ServiceClients } from '../../clients';
import { createTestDatabase, TestDatabase } from '../../database.test-helpers';
import { AbandonStaleOrders } from './abandon-stale-orders.use-case';
import { stockReleases } from './order-jobs';
import { ReleaseStock } from './release-stock.use-case';
import { StaleOrderSweeper } from './stale-order.sweeper';

const STALE_AFTER_MS = 60_000;
const logger = createSilentLogger();

/**
 * The sweeper on a real database. It makes no remote call: it gives orders up and queues their
 * stock release, which the outbox relay delivers (the whole loop against the real Product
 * service is in tests/e2e/src/orders/recovery.spec.ts). The Product service here is a port
 * nobody listens on, as when it is down.
 */
describe('StaleOrderSweeper (PostgreSQL)', () => {
  let db: TestDatabase;
  let clients: ServiceClients;
  let abandonStaleOrders: AbandonStaleOrders;
  let releaseStock: ReleaseStock;

  beforeAll(async () => {
    const nobody = `http://127.0.0.1:${await getFreePort()}`;
    db = await createTestDatabase({
      USER_SERVICE_URL: nobody,
      PRODUCT_SERVICE_URL: nobody,
      NOTIFICATION_SERVICE_URL: nobody,
      SERVICE_TIMEOUT_MS: '500',
    });
    clients = createServiceClients(db.config, logger, new Metrics('order-service', { defaultMetrics: false }));
    abandonStaleOrders = new AbandonStaleOrders({ store: db.store });
    releaseStock = new ReleaseStock({ store: db.store, products: clients.products });
  });
  afterAll(async () => {
    closeServiceClients(clients);
    await db.close();
  });
  beforeEach(() => db.dataSource.query('TRUNCATE orders, outbox CASCADE'));

  const sweeper = (intervalMs = 60_000) => {
    const metrics = new Metrics('order-service', { defaultMetrics: false });
    return { sweeper: new StaleOrderSweeper(abandonStaleOrders, { intervalMs, staleAfterMs: STALE_AFTER_MS }, logger, metrics), metrics };
  };

  /** A placement that claimed its order `ageMs` ago and never finished. */
  const pendingOrder = async (ageMs: number) => {
    const id = randomUUID();
    expect(
      await db.store.orders.claim({
        id,
        userId: `user-${randomUUID()}`,
        idempotencyKey: `key-${id}`,
        requestHash: 'a'.repeat(64),
        shippingAddress: null,
      }),
    ).toBe(true);
    await db.dataSource.query(`UPDATE orders SET created_at = now() - make_interval(secs => $2::double precision / 1000) WHERE id = $1`, [
      id,
      ageMs,
    ]);
    return id;
  };
  const status = async (id: string) => (await db.store.orders.statusesOf([id])).get(id);
  const release = (id: string) => db.store.outbox.findByDedupeKey(`stock-release:${id}`);

  it('gives up stale pending orders with their stock release queued in the same commit; younger and finished orders stay', async () => {
    const stale = await pendingOrder(STALE_AFTER_MS + 5_000);
    const young = await pendingOrder(1_000);
    const finished = await pendingOrder(STALE_AFTER_MS + 5_000);
    await db.store.orders.setStatus(finished, 'pending', 'confirmed');
    const { sweeper: s, metrics } = sweeper();

    expect(await s.runOnce()).toEqual([stale]);
    expect([await status(stale), await status(young), await status(finished)]).toEqual(['abandoned', 'pending', 'confirmed']);
    expect(await release(stale)).toMatchObject({ topic: 'stock-release', status: 'pending', payload: { orderId: stale } });
    expect(await release(young)).toBeNull();
    expect(await s.runOnce()).toEqual([]);
    expect(await metrics.registry.getSingleMetricAsString('orders_stale_abandoned_total')).toContain(
      'orders_stale_abandoned_total{service="order-service"} 1',
    );
  });

  it('keeps an abandoned order while its stock cannot be released', async () => {
    const stale = await pendingOrder(STALE_AFTER_MS + 5_000);
    await sweeper().sweeper.runOnce();
    const [message] = await db.store.outbox.claimDue(10, 60_000);
    const [outcome] = await stockReleases(releaseStock)([message]);
    expect(outcome).toMatchObject({ error: expect.objectContaining({ status: 503 }) });
    expect(await status(stale)).toBe('abandoned');
  });

  it('lets two sweepers (two instances) running at once give each stale order up exactly once', async () => {
    const stale = await Promise.all(Array.from({ length: 20 }, () => pendingOrder(STALE_AFTER_MS + 5_000)));
    const [a, b] = await Promise.all([sweeper().sweeper.runOnce(), sweeper().sweeper.runOnce()]);
    expect([...a, ...b].sort()).toEqual([...stale].sort());
    const [{ count }] = await db.dataSource.query(`SELECT count(*)::int AS count FROM outbox WHERE topic = 'stock-release'`);
    expect(count).toBe(20);
  });

  it('sweeps on its own once started, until stopped', async () => {
    const { sweeper: s } = sweeper(50);
    s.start();
    try {
      const stale = await pendingOrder(STALE_AFTER_MS + 5_000);
      await waitFor(async () => (await status(stale)) === 'abandoned', { what: 'the sweeper to give the order up' });
    } finally {
      await s.stop();
    }
  });
});
