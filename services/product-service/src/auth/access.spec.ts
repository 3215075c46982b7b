import request from 'supertest';
import { DEVELOPMENT_INTERNAL_API_KEY } from '@shop/config';
import { startUserService, UserServiceFixture } from '@shop/test-kit';
import { createCategory, createProduct, INTERNAL, startTestApp, TestApp } from '../app.test-helpers';

const ADMIN = { email: 'catalogue.admin@example.com', password: 'admin-password-42' };
const CUSTOMER = { email: 'ann.customer@example.com', password: 'customer-password-42' };

/**
 * Who may write the catalogue, with tokens issued and validated by the real User service (run
 * from its build as its own process, on a Mongo database of its own).
 */
describe('access to catalogue writes', () => {
  let users: UserServiceFixture | undefined;
  let t: TestApp;
  let adminToken: string;
  let customerToken: string;

  beforeAll(async () => {
    users = await startUserService({ internalKey: DEVELOPMENT_INTERNAL_API_KEY, admin: ADMIN, prefix: 'product_access_users' });
    t = await startTestApp({ USER_SERVICE_URL: users.url });

    await request(users.url)
      .post('/api/users/register')
      .send({ firstName: 'Ann', lastName: 'Customer', ...CUSTOMER })
      .expect(201);
    const login = async (credentials: typeof ADMIN) =>
      (await request(users!.url).post('/api/users/login').send(credentials).expect(200)).body.data.token as string;
    [adminToken, customerToken] = await Promise.all([login(ADMIN), login(CUSTOMER)]);
  }, 60_000);

  afterAll(async () => {
    await t?.close();
    await users?.stop();
  });

  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

  it('reads are public', async () => {
    const categoryId = await createCategory(t.http, 'Public');
    const product = await createProduct(t.http, { name: 'Public product', price: 1, categoryId });
    await request(t.http).get('/api/categories').expect(200);
    await request(t.http).get(`/api/categories/${categoryId}`).expect(200);
    await request(t.http).get('/api/products').expect(200);
    await request(t.http).get(`/api/products/${product.id}`).expect(200);
    await request(t.http).get('/api/products/batch').query({ ids: product.id }).expect(200);
  });

  describe('every catalogue write', () => {
    let categoryId: string;
    let productId: string;

    beforeAll(async () => {
      categoryId = await createCategory(t.http, 'Guarded');
      productId = (await createProduct(t.http, { name: 'Guarded product', price: 1, categoryId })).id;
    });

    const writes = () =>
      [
        ['post', '/api/categories', { name: 'Refused' }],
        ['put', `/api/categories/${categoryId}`, { name: 'Refused' }],
        ['delete', `/api/categories/${categoryId}`, undefined],
        ['post', '/api/products', { name: 'Refused', price: 1, categoryId }],
        ['put', `/api/products/${productId}`, { price: 2 }],
        ['delete', `/api/products/${productId}`, undefined],
      ] as const;

    it('is refused without credentials (401 TOKEN_REQUIRED)', async () => {
      for (const [method, path, body] of writes()) {
        const res = await request(t.http)[method](path).send(body);
        expect([method, path, res.status, res.body.code]).toEqual([method, path, 401, 'TOKEN_REQUIRED']);
      }
    });

    it('is refused with a wrong internal key (401 INVALID_INTERNAL_KEY) or a token the User service rejects (401)', async () => {
      for (const [method, path, body] of writes()) {
        const key = await request(t.http)[method](path).set('X-Internal-Key', 'not-the-key').send(body);
        expect([method, path, key.status, key.body.code]).toEqual([method, path, 401, 'INVALID_INTERNAL_KEY']);
        const token = await request(t.http)[method](path).set(bearer('forged.jwt.token')).send(body);
        expect([method, path, token.status, token.body.code]).toEqual([method, path, 401, 'INVALID_TOKEN']);
      }
    });

    it('is refused with a customer’s token (403 ADMIN_REQUIRED)', async () => {
      for (const [method, path, body] of writes()) {
        const res = await request(t.http)[method](path).set(bearer(customerToken)).send(body);
        expect([method, path, res.status, res.body.code]).toEqual([method, path, 403, 'ADMIN_REQUIRED']);
      }
      await request(t.http).get(`/api/categories/${categoryId}`).expect(200);
      expect((await request(t.http).get(`/api/products/${productId}`).expect(200)).body.data.product.price).toBe(1);
    });
  });

  it('succeeds with an admin’s token: create, update and delete a category and a product', async () => {
    const auth = bearer(adminToken);
    const category = await request(t.http).post('/api/categories').set(auth).send({ name: 'Admin made' }).expect(201);
    const categoryId = category.body.data.category.id;
    await request(t.http).put(`/api/categories/${categoryId}`).set(auth).send({ description: 'by an admin' }).expect(200);
    const product = await request(t.http)
      .post('/api/products')
      .set(auth)
      .send({ name: 'Admin product', price: 12.34, categoryId })
      .expect(201);
    const productId = product.body.data.product.id;
    const updated = await request(t.http).put(`/api/products/${productId}`).set(auth).send({ price: 43.21 }).expect(200);
    expect(updated.body.data.product.price).toBe(43.21);
    await request(t.http).delete(`/api/products/${productId}`).set(auth).expect(200);
    await request(t.http).delete(`/api/categories/${categoryId}`).set(auth).expect(200);
  });

  it('succeeds with the internal key', async () => {
    const category = await request(t.http).post('/api/categories').set(INTERNAL).send({ name: 'Service made' }).expect(201);
    const categoryId = category.body.data.category.id;
    const product = await request(t.http)
      .post('/api/products')
      .set(INTERNAL)
      .send({ name: 'Service product', price: 1, categoryId })
      .expect(201);
    await request(t.http).put(`/api/products/${product.body.data.product.id}`).set(INTERNAL).send({ price: 3 }).expect(200);
    await request(t.http).delete(`/api/products/${product.body.data.product.id}`).set(INTERNAL).expect(200);
    await request(t.http).delete(`/api/categories/${categoryId}`).set(INTERNAL).expect(200);
  });

  it('stock moves and reservations stay internal: even an admin’s token gets 401', async () => {
    const categoryId = await createCategory(t.http, 'Internal only');
    const product = await createProduct(t.http, { name: 'Internal stock', price: 1, categoryId, stock: 5 });
    const stock = await request(t.http).put(`/api/products/${product.id}/stock`).set(bearer(adminToken)).send({ quantity: -1 }).expect(401);
    expect(stock.body.code).toBe('INVALID_INTERNAL_KEY');
    await request(t.http)
      .post('/api/reservations')
      .set(bearer(adminToken))
      .send({ orderId: '8e0c3f0e-4a51-4b7e-9d0e-0b7a1c2d3e4f', items: [{ productId: product.id, quantity: 1 }] })
      .expect(401);
    expect((await request(t.http).get(`/api/products/${product.id}`).expect(200)).body.data.product.stock).toBe(5);
  });
});
