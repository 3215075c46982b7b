import { MatchersV3 } from '@pact-foundation/pact';
import { ServiceUnavailableError, UpstreamRejectionError } from '@shop/errors';
import { createProductServiceClient } from '../create-clients';
import { clientDefaults, instant, INTERNAL_HEADERS, ok, pactBetween, refusal, uuid } from './pact.test-helpers';

const { boolean, decimal, eachLike, integer, regex, string } = MatchersV3;

// The ids the provider states create (services/product-service/src/contracts.pact.spec.ts).
const PRODUCT = '11111111-1111-4111-8111-111111111111';
const MISSING_PRODUCT = '11111111-1111-4111-8111-ffffffffffff';
const NEW_ORDER = '22222222-2222-4222-8222-222222222222';
const HELD_ORDER = '33333333-3333-4333-8333-333333333333';

const productShape = () => ({
  id: uuid(PRODUCT),
  name: string('Laptop Computer'),
  price: decimal(999.99),
  categoryId: uuid('44444444-4444-4444-8444-444444444444'),
  stock: integer(10),
  isActive: boolean(true),
  createdAt: instant(),
  updatedAt: instant(),
});

// What the Order service prices and records an order from.
const reservationShape = (orderId: string, status: string) => ({
  orderId: uuid(orderId),
  status: regex('^(reserved|confirmed|released|expired)$', status),
  items: eachLike({ productId: uuid(PRODUCT), name: string('Laptop Computer'), quantity: integer(2), unitPrice: decimal(999.99) }),
  createdAt: instant(),
});

/**
 * Everything the Order service asks of the Product service: batch and single reads (cart,
 * order views), the one reserve call of a placement (confirmed at once), releases (cancel,
 * recovery, reconciliation) and the reconciliation's reads. The refusals it handles are part
 * of the contract: 404 and 409 become its own answers, a 503 is retried and counted.
 */
describe('pact: order-service → product-service', () => {
  const pact = pactBetween('order-service', 'product-service');
  const client = (url: string) => createProductServiceClient(url, clientDefaults);

  it('reads many products in one call', async () => {
    await pact
      .addInteraction()
      .given('a product with 10 in stock')
      .uponReceiving('a batch read of products')
      .withRequest('GET', '/api/products/batch', (b) => b.headers(INTERNAL_HEADERS).query({ ids: `${PRODUCT},${MISSING_PRODUCT}` }))
      .willRespondWith(200, (b) => b.jsonBody(ok({ products: eachLike(productShape()) })))
      .executeTest(async (server) => {
        const products = await client(server.url).getProducts([PRODUCT, MISSING_PRODUCT, PRODUCT]);
        expect(products).toEqual([expect.objectContaining({ id: PRODUCT, price: 999.99, stock: 10, isActive: true })]);
      });
  });

  it('reads one product (the cart)', async () => {
    await pact
      .addInteraction()
      .given('a product with 10 in stock')
      .uponReceiving('a read of one product')
      .withRequest('GET', `/api/products/${PRODUCT}`, (b) => b.headers(INTERNAL_HEADERS))
      .willRespondWith(200, (b) => b.jsonBody(ok({ product: productShape() })))
      .executeTest(async (server) => {
        expect(await client(server.url).getProduct(PRODUCT)).toMatchObject({ id: PRODUCT, price: 999.99, isActive: true });
      });
  });

  it('turns an unknown product into a 404 rejection', async () => {
    await pact
      .addInteraction()
      .uponReceiving('a read of a product that does not exist')
      .withRequest('GET', `/api/products/${MISSING_PRODUCT}`, (b) => b.headers(INTERNAL_HEADERS))
      .willRespondWith(404, (b) => b.jsonBody(refusal('PRODUCT_NOT_FOUND')))
      .executeTest(async (server) => {
        const refused = await client(server.url)
          .getProduct(MISSING_PRODUCT)
          .catch((err: unknown) => err);
        expect(refused).toBeInstanceOf(UpstreamRejectionError);
        expect(refused).toMatchObject({ status: 404, code: 'PRODUCT_NOT_FOUND' });
      });
  });

  it('reserves, prices and confirms an order’s lines in one call', async () => {
    await pact
      .addInteraction()
      .given('a product with 10 in stock')
      .uponReceiving('a confirmed reservation of an order’s lines')
      .withRequest('POST', '/api/reservations', (b) =>
        b.headers(INTERNAL_HEADERS).jsonBody({ orderId: NEW_ORDER, items: [{ productId: PRODUCT, quantity: 2 }], confirm: true }),
      )
      .willRespondWith(201, (b) => b.jsonBody(ok({ reservation: reservationShape(NEW_ORDER, 'confirmed') })))
      .executeTest(async (server) => {
        const reservation = await client(server.url).reserve(NEW_ORDER, [{ productId: PRODUCT, quantity: 2 }], { confirm: true });
        expect(reservation).toMatchObject({ orderId: NEW_ORDER, status: 'confirmed', items: [{ productId: PRODUCT, unitPrice: 999.99 }] });
      });
  });

  it('passes a refusal for want of stock on as a 409 INSUFFICIENT_STOCK naming the product', async () => {
    await pact
      .addInteraction()
      .given('a product with 10 in stock')
      .uponReceiving('a reservation of more than the stock')
      .withRequest('POST', '/api/reservations', (b) =>
        b.headers(INTERNAL_HEADERS).jsonBody({ orderId: NEW_ORDER, items: [{ productId: PRODUCT, quantity: 11 }], confirm: true }),
      )
      .willRespondWith(409, (b) => b.jsonBody(refusal('INSUFFICIENT_STOCK', { details: eachLike({ productId: uuid(PRODUCT) }) })))
      .executeTest(async (server) => {
        const refused = await client(server.url)
          .reserve(NEW_ORDER, [{ productId: PRODUCT, quantity: 11 }], { confirm: true })
          .catch((err: unknown) => err);
        expect(refused).toBeInstanceOf(UpstreamRejectionError);
        expect(refused).toMatchObject({ status: 409, code: 'INSUFFICIENT_STOCK', details: [{ productId: PRODUCT }] });
      });
  });

  it('passes a reservation of an unknown product on as a 404 naming it (the Order service names it again)', async () => {
    await pact
      .addInteraction()
      .uponReceiving('a reservation naming a product that does not exist')
      .withRequest('POST', '/api/reservations', (b) =>
        b.headers(INTERNAL_HEADERS).jsonBody({ orderId: NEW_ORDER, items: [{ productId: MISSING_PRODUCT, quantity: 1 }], confirm: true }),
      )
      .willRespondWith(404, (b) => b.jsonBody(refusal('PRODUCT_NOT_FOUND', { details: eachLike({ productId: uuid(MISSING_PRODUCT) }) })))
      .executeTest(async (server) => {
        const refused = await client(server.url)
          .reserve(NEW_ORDER, [{ productId: MISSING_PRODUCT, quantity: 1 }], { confirm: true })
          .catch((err: unknown) => err);
        expect(refused).toBeInstanceOf(UpstreamRejectionError);
        expect(refused).toMatchObject({ status: 404, code: 'PRODUCT_NOT_FOUND', details: [{ productId: MISSING_PRODUCT }] });
      });
  });

  it('releases an order’s stock', async () => {
    await pact
      .addInteraction()
      .given('an order with a confirmed reservation')
      .uponReceiving('a release of an order’s reservation')
      .withRequest('POST', `/api/reservations/${HELD_ORDER}/release`, (b) => b.headers(INTERNAL_HEADERS))
      .willRespondWith(200, (b) =>
        b.jsonBody(ok({ reservation: { orderId: uuid(HELD_ORDER), status: regex('^(released|expired)$', 'released') } })),
      )
      .executeTest(async (server) => {
        expect(await client(server.url).release(HELD_ORDER)).toMatchObject({ orderId: HELD_ORDER, status: 'released' });
      });
  });

  it('pages through the reservations still holding stock (reconciliation)', async () => {
    await pact
      .addInteraction()
      .given('an order with a confirmed reservation')
      .uponReceiving('a page of the reservations holding stock')
      .withRequest('GET', '/api/reservations/held', (b) =>
        b.headers(INTERNAL_HEADERS).query({
          createdAfter: instant('2000-01-01T00:00:00.000Z'),
          createdBefore: instant('2999-01-01T00:00:00.000Z'),
          limit: regex('^[0-9]+$', '200'),
        }),
      )
      .willRespondWith(200, (b) =>
        b.jsonBody(
          ok({
            reservations: eachLike({
              orderId: uuid(HELD_ORDER),
              status: regex('^(reserved|confirmed)$', 'confirmed'),
              createdAt: instant(),
            }),
            // The last page: the reconciliation stops at a null cursor.
            nextCursor: null,
          }),
        ),
      )
      .executeTest(async (server) => {
        const page = await client(server.url).listHeldReservations({
          createdAfter: new Date('2000-01-01T00:00:00.000Z'),
          createdBefore: new Date('2999-01-01T00:00:00.000Z'),
          limit: 200,
        });
        expect(page).toEqual({
          reservations: [{ orderId: HELD_ORDER, status: 'confirmed', createdAt: expect.any(String) }],
          nextCursor: null,
        });
      });
  });

  it('looks orders’ reservations up (reconciliation)', async () => {
    await pact
      .addInteraction()
      .given('an order with a confirmed reservation')
      .uponReceiving('a look-up of orders’ reservations')
      .withRequest('POST', '/api/reservations/lookup', (b) => b.headers(INTERNAL_HEADERS).jsonBody({ orderIds: [HELD_ORDER, NEW_ORDER] }))
      .willRespondWith(200, (b) => b.jsonBody(ok({ reservations: eachLike(reservationShape(HELD_ORDER, 'confirmed')) })))
      .executeTest(async (server) => {
        const found = await client(server.url).lookupReservations([HELD_ORDER, NEW_ORDER]);
        expect(found).toMatchObject([{ orderId: HELD_ORDER, status: 'confirmed', items: [{ productId: PRODUCT }] }]);
      });
  });

  it('turns an outage of the product database into ServiceUnavailableError, with Retry-After', async () => {
    await pact
      .addInteraction()
      .given('the product database is unavailable')
      .uponReceiving('a batch read while the product database is unavailable')
      .withRequest('GET', '/api/products/batch', (b) => b.headers(INTERNAL_HEADERS).query({ ids: PRODUCT }))
      .willRespondWith(503, (b) => b.headers({ 'Retry-After': regex('^[0-9]+$', '5') }).jsonBody(refusal('DATABASE_UNAVAILABLE')))
      .executeTest(async (server) => {
        const failed = await client(server.url)
          .getProducts([PRODUCT])
          .catch((err: unknown) => err);
        expect(failed).toBeInstanceOf(ServiceUnavailableError);
        expect(failed).toMatchObject({ status: 503 });
      });
  });
});
