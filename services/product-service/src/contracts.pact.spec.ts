import { DataSource } from 'typeorm';
import {
  createTestPostgresDatabase,
  PACT_INTERNAL_KEY,
  startChangedProvider,
  startTcpProxy,
  StateHandlers,
  TcpProxy,
  TestPostgresDatabase,
  verifyPacts,
} from '@shop/test-kit';
import { startTestApp, TestApp } from './app.test-helpers';
import { CategoryEntity } from './categories/category.entity';
import { ProductEntity } from './products/product.entity';
import { ReservationsService } from './reservations/reservations.service';

// The ids the Order service's pact names (packages/service-client/src/pact/order-service.product-service.pact.spec.ts).
const CATEGORY = '44444444-4444-4444-8444-444444444444';
const PRODUCT = '11111111-1111-4111-8111-111111111111';
const HELD_ORDER = '33333333-3333-4333-8333-333333333333';

/**
 * The Product service against the Order service's pact, as its real app on its own PostgreSQL
 * database. Each provider state starts from empty tables and is made through the service's own
 * repositories and ReservationsService; the database outage is a proxy between the app and
 * PostgreSQL that drops its connections for that one interaction.
 */
describe('pacts: product-service as provider', () => {
  let db: TestPostgresDatabase;
  let proxy: TcpProxy;
  let app: TestApp;
  let baseUrl: string;

  async function aProductWithStock(): Promise<void> {
    const dataSource = app.app.get(DataSource);
    await dataSource.query(`TRUNCATE ${dataSource.entityMetadatas.map((m) => `"${m.tableName}"`).join(', ')} CASCADE`);
    await dataSource.getRepository(CategoryEntity).insert({ id: CATEGORY, name: 'Computers' });
    await dataSource
      .getRepository(ProductEntity)
      .insert({ id: PRODUCT, name: 'Laptop Computer', price: 999.99, categoryId: CATEGORY, stock: 10, tags: ['laptop'], isActive: true });
  }

  const stateHandlers: StateHandlers = {
    'a product with 10 in stock': aProductWithStock,
    'an order with a confirmed reservation': async () => {
      await aProductWithStock();
      await app.app.get(ReservationsService).reserve({ orderId: HELD_ORDER, items: [{ productId: PRODUCT, quantity: 2 }], confirm: true });
    },
    'the product database is unavailable': {
      setup: async () => proxy.pause(),
      teardown: async () => proxy.resume(),
    },
  };

  beforeAll(async () => {
    db = await createTestPostgresDatabase('product_pacts');
    proxy = await startTcpProxy({ host: db.host, port: db.port });
    app = await startTestApp({ DB_HOST: '127.0.0.1', DB_PORT: String(proxy.port), INTERNAL_API_KEY: PACT_INTERNAL_KEY }, db);
    baseUrl = await app.app.getUrl();
  });
  afterAll(async () => {
    await app?.close();
    await proxy?.close();
    await db?.drop();
  });

  it('honours every interaction its consumers rely on', async () => {
    await verifyPacts({ provider: 'product-service', baseUrl, stateHandlers });
  });

  it('fails, naming the consumer and the interaction, once a refusal it relies on changes status', async () => {
    // The change: "not enough stock" answered as 422 instead of the 409 the Order service passes on.
    const changed = await startChangedProvider(baseUrl, {
      path: '/api/reservations',
      change: ({ status, body }) => ({ status: status === 409 ? 422 : status, body }),
    });
    try {
      const failure = await verifyPacts({ provider: 'product-service', baseUrl: changed.url, stateHandlers }).then(
        () => new Error('the verification passed'),
        (err: Error) => err,
      );
      expect(failure.message).toMatch(
        /order-service -> product-service: "Given a product with 10 in stock - a reservation of more than the stock": .*409.*422/,
      );
      expect(failure.message.split('\n')).toHaveLength(2);
    } finally {
      await changed.close();
    }
  });
});
