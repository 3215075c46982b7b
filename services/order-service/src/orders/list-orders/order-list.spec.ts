import express, { type Express } from 'express';
import request from 'supertest';
import type { EntityManager } from 'typeorm';
import { applyCommonMiddleware, applyErrorHandling, requireUser } from '@shop/express-kit';
import { createSilentLogger, Metrics } from '@shop/observability';
import { getFreePort } from '@shop/test-kit';
import { closeServiceClients, createServiceClients, ServiceClients } from '../../clients';
import { createTestDatabase, TestDatabase } from '../../database.test-helpers';
import { OrderRepository } from '../order.repository';
import { orderRoutes } from '../order.routes';
import { createOrderUseCases } from '../order-use-cases';

const LIMIT = 20;
const logger = createSilentLogger();

interface PlanNode {
  'Actual Rows': number;
  'Actual Loops': number;
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  Plans?: PlanNode[];
}

/** The work of some statements as PostgreSQL did it: rows produced by every plan node, and buffers touched. */
interface Work {
  statements: number;
  rows: number;
  buffers: number;
}

/**
 * The orders list's cost must not grow with the customer's history: measured as the rows and
 * buffers PostgreSQL itself reports (EXPLAIN ANALYZE) for the statements the list runs, never as
 * time. The statements are recorded from the repository, then replayed under EXPLAIN.
 */
describe('the orders list (PostgreSQL)', () => {
  let db: TestDatabase;
  let clients: ServiceClients;

  beforeAll(async () => {
    const nobody = `http://127.0.0.1:${await getFreePort()}`;
    db = await createTestDatabase({ USER_SERVICE_URL: nobody, PRODUCT_SERVICE_URL: nobody, NOTIFICATION_SERVICE_URL: nobody });
    clients = createServiceClients(db.config, logger, new Metrics('order-service', { defaultMetrics: false }));
    // Neighbours, so the user's index range is not the whole table.
    for (let i = 0; i < 20; i += 1) await ordersOf(`neighbour-${i}`, 100);
    await ordersOf('small', 20);
    await ordersOf('large', 2_000);
    // Placements that were given up are never listed nor counted.
    await ordersOf('large', 5, 'abandoned');
    await db.dataSource.query('ANALYZE');
  });
  afterAll(async () => {
    closeServiceClients(clients);
    await db.close();
  });

  /** `count` orders of a user, one a second back from now, each with one line. */
  async function ordersOf(userId: string, count: number, status = 'confirmed'): Promise<void> {
    await db.dataSource.query(
      `WITH o AS (
         INSERT INTO orders (id, user_id, status, total_amount, request_hash, created_at, updated_at)
         SELECT gen_random_uuid(), $1, $3, 1.50, repeat('a', 64), now() - make_interval(secs => g), now() - make_interval(secs => g)
           FROM generate_series(1, $2) g
         RETURNING id)
       INSERT INTO order_items (order_id, product_id, product_name, unit_price, quantity, line_total)
       SELECT id, gen_random_uuid(), 'Product', 1.50, 1, 1.50 FROM o`,
      [userId, count, status],
    );
  }

  /** Runs `read` on a repository whose statements are recorded, then measures each under EXPLAIN ANALYZE. */
  async function workOf<T>(read: (orders: OrderRepository) => Promise<T>): Promise<{ result: T; work: Work }> {
    const recorded: Array<{ sql: string; params?: unknown[] }> = [];
    const target = db.dataSource.manager;
    const manager = new Proxy(target, {
      get(object, property) {
        if (property === 'query') {
          return (sql: string, params?: unknown[]) => {
            recorded.push({ sql, params });
            return object.query(sql, params);
          };
        }
        const value: unknown = Reflect.get(object, property);
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(object) : value;
      },
    }) as EntityManager;
    const result = await read(new OrderRepository(manager));
    const work: Work = { statements: 0, rows: 0, buffers: 0 };
    for (const { sql, params } of recorded) {
      const [{ 'QUERY PLAN': plan }] = (await target.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql}`, params)) as Array<{
        'QUERY PLAN': Array<{ Plan: PlanNode }>;
      }>;
      const root = plan[0].Plan;
      work.statements += 1;
      work.rows += rowsOf(root);
      work.buffers += (root['Shared Hit Blocks'] ?? 0) + (root['Shared Read Blocks'] ?? 0);
    }
    return { result, work };
  }

  it('reads no more for a customer with 2,000 orders than for one with 20', async () => {
    const small = await workOf((orders) => orders.listByUser('small', { limit: LIMIT }));
    const large = await workOf((orders) => orders.listByUser('large', { limit: LIMIT }));
    process.stdout.write(`first page of ${LIMIT}: 20 orders ${JSON.stringify(small.work)}; 2,000 orders ${JSON.stringify(large.work)}\n`);
    expect(small.result).toMatchObject({ total: 20 });
    expect(large.result).toMatchObject({ total: 2_000 });
    expect(small.result.orders).toHaveLength(LIMIT);
    expect(large.result.orders).toHaveLength(LIMIT);
    // A page holds the same number of orders for both: only a look-ahead row may differ.
    expect(large.work.rows).toBeLessThanOrEqual(small.work.rows * 1.25);
    expect(large.work.buffers).toBeLessThanOrEqual(small.work.buffers * 1.5);
  });

  it('reads a deep page through its cursor as cheaply as the first, and the same orders as by page number', async () => {
    const first = await workOf((orders) => orders.listByUser('large', { limit: LIMIT }));
    // Walk to page 60 (orders 1181-1200) by position.
    let after = first.result.next;
    for (let page = 2; page < 60; page += 1) after = (await db.store.orders.listByUser('large', { limit: LIMIT, after })).next;
    const deep = await workOf((orders) => orders.listByUser('large', { limit: LIMIT, after }));
    const byNumber = await workOf((orders) => orders.listByUser('large', { limit: LIMIT, offset: 59 * LIMIT }));
    process.stdout.write(
      `page 1 ${JSON.stringify(first.work)}; page 60 by cursor ${JSON.stringify(deep.work)}; page 60 by number ${JSON.stringify(byNumber.work)}\n`,
    );
    expect(deep.result.orders.map((o) => o.id)).toEqual(byNumber.result.orders.map((o) => o.id));
    expect(deep.work.rows).toBeLessThanOrEqual(first.work.rows * 1.25);
  });

  it('pages by number and by cursor over HTTP in the same envelope, and refuses a bad cursor with a 400', async () => {
    const app = appFor('large');
    const first = await request(app).get('/api/orders').set('Authorization', 'Bearer t').query({ limit: 3 });
    expect(first.status).toBe(200);
    expect(first.body.data.pagination).toEqual({
      page: 1,
      limit: 3,
      total: 2_000,
      totalPages: 667,
      nextCursor: expect.any(String),
    });
    const second = await request(app)
      .get('/api/orders')
      .set('Authorization', 'Bearer t')
      .query({ limit: 3, cursor: first.body.data.pagination.nextCursor });
    const byNumber = await request(app).get('/api/orders').set('Authorization', 'Bearer t').query({ limit: 3, page: 2 });
    expect(second.body.data.pagination).toMatchObject({ page: 2, limit: 3, total: 2_000, totalPages: 667 });
    expect(second.body.data.orders.map((o: { id: string }) => o.id)).toEqual(byNumber.body.data.orders.map((o: { id: string }) => o.id));

    const last = await request(app).get('/api/orders').set('Authorization', 'Bearer t').query({ limit: 3, page: 667 });
    expect(last.body.data.orders).toHaveLength(2);
    expect(last.body.data.pagination.nextCursor).toBeNull();

    for (const cursor of ['not-a-cursor', Buffer.from('2026-01-01|x|1').toString('base64url'), '%%%', 'a'.repeat(500)]) {
      const bad = await request(app).get('/api/orders').set('Authorization', 'Bearer t').query({ cursor });
      expect({ cursor, status: bad.status, code: bad.body.code }).toEqual({
        cursor,
        status: 400,
        code: expect.stringMatching(/INVALID_CURSOR|VALIDATION_FAILED/),
      });
      expect(bad.body).toMatchObject({ success: false, requestId: expect.any(String) });
    }
  });

  it('keeps the count exact as orders are placed, abandoned, removed and cancelled', async () => {
    const count = async (userId: string) =>
      ((await db.dataSource.query(`SELECT listed FROM order_counts WHERE user_id = $1`, [userId])) as Array<{ listed: number }>)[0]
        ?.listed ?? 0;
    const claim = (id: string) =>
      db.store.orders.claim({ id, userId: 'counted', idempotencyKey: null, requestHash: 'a'.repeat(64), shippingAddress: null });
    const ids = ['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000003'];
    for (const id of ids) await claim(id);
    // Pending orders are listed (the placement is in progress).
    expect(await count('counted')).toBe(3);
    await db.store.orders.setStatus(ids[0], 'pending', 'abandoned');
    expect(await count('counted')).toBe(2);
    await db.store.orders.deleteAbandoned(ids[0]);
    await db.store.orders.deletePending(ids[1]);
    expect(await count('counted')).toBe(1);
    await db.store.orders.setStatus(ids[2], 'pending', 'cancelled');
    expect(await count('counted')).toBe(1);
    expect((await db.store.orders.listByUser('counted', { limit: 10 })).total).toBe(1);
  });

  function appFor(userId: string): Express {
    const app = express();
    const metrics = new Metrics('order-service', { defaultMetrics: false });
    applyCommonMiddleware(app, { logger, metrics, bodyLimit: '100kb' });
    const orders = createOrderUseCases({
      store: db.store,
      products: clients.products,
      logger,
      limits: { maxLines: 50, maxQuantity: 100 },
      idempotencyWaitMs: 1_000,
      releaseGraceMs: 1_000,
    });
    const authenticate = requireUser(async () => ({ id: userId, email: `${userId}@example.com`, role: 'customer' }));
    app.use('/api/orders', orderRoutes({ orders, authenticate, limits: { maxLines: 50, maxQuantity: 100 } }));
    applyErrorHandling(app, logger);
    return app;
  }
});

function rowsOf(node: PlanNode): number {
  return node['Actual Rows'] * node['Actual Loops'] + (node.Plans ?? []).reduce((sum, child) => sum + rowsOf(child), 0);
}
