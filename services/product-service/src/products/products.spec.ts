import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { createCategory, createProduct, INTERNAL, startTestApp, storedStock, TestApp } from '../app.test-helpers';

describe('products', () => {
  let t: TestApp;
  let categoryId: string;

  beforeAll(async () => {
    t = await startTestApp();
    categoryId = await createCategory(t.http, 'Electronics');
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('create, read, update, delete', () => {
    it('creates a product and returns exactly the contract’s ProductDto', async () => {
      const res = await request(t.http)
        .post('/api/products')
        .set(INTERNAL)
        .send({
          name: 'Laptop Computer',
          description: 'High-performance laptop for development',
          price: 999.99,
          categoryId,
          stock: 10,
          tags: [' Laptop ', 'laptop', 'COMPUTER'],
        })
        .expect(201);
      const product = res.body.data.product;
      expect(Object.keys(product).sort()).toEqual(
        ['categoryId', 'createdAt', 'description', 'id', 'isActive', 'name', 'price', 'stock', 'tags', 'updatedAt'].sort(),
      );
      expect(product).toMatchObject({
        name: 'Laptop Computer',
        price: 999.99,
        categoryId,
        stock: 10,
        tags: ['laptop', 'computer'],
        isActive: true,
      });
      const read = await request(t.http).get(`/api/products/${product.id}`).expect(200);
      expect(read.body.data.product).toEqual(product);
    });

    it('defaults stock to 0, tags to [] and isActive to true', async () => {
      const product = await createProduct(t.http, { name: 'Bare', price: 1, categoryId });
      expect(product).toMatchObject({ stock: 0, tags: [], isActive: true, description: null });
    });

    it('updates only the fields given, and moves updatedAt', async () => {
      const product = await createProduct(t.http, { name: 'Mouse', price: 29.99, categoryId, stock: 5, tags: ['mouse'] });
      const res = await request(t.http)
        .put(`/api/products/${product.id}`)
        .set(INTERNAL)
        .send({ price: 24.5, tags: ['Wireless'] })
        .expect(200);
      expect(res.body.data.product).toMatchObject({ id: product.id, name: 'Mouse', price: 24.5, stock: 5, tags: ['wireless'] });
      expect(Date.parse(res.body.data.product.updatedAt)).toBeGreaterThan(Date.parse(product.updatedAt as string));
    });

    it('refuses to set the stock, which would lose a concurrent reservation: 422 pointing to the delta endpoint', async () => {
      const product = await createProduct(t.http, { name: 'Reserved meanwhile', price: 2, categoryId, stock: 10 });
      const orderId = randomUUID();
      await request(t.http)
        .post('/api/reservations')
        .set(INTERNAL)
        .send({ orderId, items: [{ productId: product.id, quantity: 3 }] })
        .expect(201);
      // An inventory correction computed from a read taken before the reservation.
      const res = await request(t.http).put(`/api/products/${product.id}`).set(INTERNAL).send({ stock: 10, price: 3 });
      expect([res.status, res.body.code]).toEqual([422, 'STOCK_NOT_SETTABLE']);
      expect(res.body.error).toContain(`PUT /api/products/${product.id}/stock`);
      expect(await storedStock(t.dataSource, product.id)).toBe(7);
      expect((await request(t.http).get(`/api/products/${product.id}`).expect(200)).body.data.product.price).toBe(2);
      await request(t.http).post(`/api/reservations/${orderId}/release`).set(INTERNAL).expect(200);
      expect(await storedStock(t.dataSource, product.id)).toBe(10);
    });

    it('moves a product to another category, and refuses an unknown category with 422', async () => {
      const product = await createProduct(t.http, { name: 'Cable', price: 5, categoryId });
      const books = await createCategory(t.http, 'Books');
      const moved = await request(t.http).put(`/api/products/${product.id}`).set(INTERNAL).send({ categoryId: books }).expect(200);
      expect(moved.body.data.product.categoryId).toBe(books);

      const unknown = randomUUID();
      const onUpdate = await request(t.http).put(`/api/products/${product.id}`).set(INTERNAL).send({ categoryId: unknown }).expect(422);
      expect(onUpdate.body).toMatchObject({ code: 'UNKNOWN_CATEGORY' });
      expect(onUpdate.body.error).toContain(unknown);
      const onCreate = await request(t.http)
        .post('/api/products')
        .set(INTERNAL)
        .send({ name: 'X', price: 1, categoryId: unknown })
        .expect(422);
      expect(onCreate.body.code).toBe('UNKNOWN_CATEGORY');
    });

    it('deletes a product', async () => {
      const product = await createProduct(t.http, { name: 'Doomed', price: 3, categoryId });
      const res = await request(t.http).delete(`/api/products/${product.id}`).set(INTERNAL).expect(200);
      expect(res.body.data.product.id).toBe(product.id);
      await request(t.http).get(`/api/products/${product.id}`).expect(404);
    });

    it('answers 400 for an id that is not a UUID and 404 PRODUCT_NOT_FOUND for an unknown one, on every route', async () => {
      const routes: Array<['get' | 'put' | 'delete', string, object?]> = [
        ['get', ''],
        ['put', '', { name: 'x' }],
        ['delete', ''],
        ['put', '/stock', { quantity: 1 }],
      ];
      for (const [method, suffix, body] of routes) {
        const bad = await request(t.http)[method](`/api/products/not-a-uuid${suffix}`).set(INTERNAL).send(body);
        expect([method, suffix, bad.status, bad.body.code]).toEqual([method, suffix, 400, 'INVALID_ID']);
        const id = randomUUID();
        const unknown = await request(t.http)[method](`/api/products/${id}${suffix}`).set(INTERNAL).send(body);
        expect([method, suffix, unknown.status, unknown.body.code]).toEqual([method, suffix, 404, 'PRODUCT_NOT_FOUND']);
        expect(unknown.body.error).toContain(id);
      }
    });

    it('validates bodies: required fields, types, limits, null where not nullable and unknown fields', async () => {
      const valid = { name: 'Valid', price: 10, categoryId };
      const cases: Array<[object, string]> = [
        [{ price: 10, categoryId }, 'body.name'],
        [{ ...valid, name: '  ' }, 'body.name'],
        [{ ...valid, categoryId: 'nope' }, 'body.categoryId'],
        [{ ...valid, stock: -1 }, 'body.stock'],
        [{ ...valid, stock: 2.5 }, 'body.stock'],
        [{ ...valid, tags: 'laptop' }, 'body.tags'],
        [{ ...valid, tags: [''] }, 'body.tags'],
        [{ ...valid, tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }, 'body.tags'],
        [{ ...valid, isActive: 'yes' }, 'body.isActive'],
        // Optional, not nullable: null is refused, as the document says, not taken for "left out".
        [{ ...valid, isActive: null }, 'body.isActive'],
        [{ ...valid, stock: null }, 'body.stock'],
        [{ ...valid, tags: null }, 'body.tags'],
        [{ ...valid, id: randomUUID() }, 'body.id'],
      ];
      for (const [body, path] of cases) {
        const res = await request(t.http).post('/api/products').set(INTERNAL).send(body);
        expect([res.status, res.body.code]).toEqual([400, 'VALIDATION_FAILED']);
        expect(res.body.details.map((d: { path: string }) => d.path)).toContain(path);
      }
      const product = await createProduct(t.http, valid);
      for (const field of ['name', 'price', 'categoryId', 'tags', 'isActive']) {
        const res = await request(t.http)
          .put(`/api/products/${product.id}`)
          .set(INTERNAL)
          .send({ [field]: null });
        expect([field, res.status]).toEqual([field, 400]);
      }
    });
  });

  describe('prices', () => {
    it('stores 999.99 exactly and returns it as the JSON number 999.99', async () => {
      const product = await createProduct(t.http, { name: 'Exact', price: 999.99, categoryId });
      const rows: Array<{ price: string }> = await t.dataSource.query('SELECT price::text AS price FROM products WHERE id = $1', [
        product.id,
      ]);
      expect(rows[0].price).toBe('999.99');
      const res = await request(t.http).get(`/api/products/${product.id}`).expect(200);
      expect(res.text).toContain('"price":999.99');
      expect(res.body.data.product.price).toBe(999.99);
    });

    it('keeps amounts whose binary float is inexact (0.1, 1234567.89, 1e9) exact', async () => {
      for (const price of [0.1, 0.29, 1234567.89, 1_000_000_000]) {
        const product = await createProduct(t.http, { name: `P ${price}`, price, categoryId });
        expect(product.price).toBe(price);
        const rows: Array<{ price: string }> = await t.dataSource.query('SELECT price::text AS price FROM products WHERE id = $1', [
          product.id,
        ]);
        expect(rows[0].price).toBe(price.toFixed(2));
      }
    });

    it('refuses a price with 3 decimals, and any price that is not a positive amount up to 1e9, with 400', async () => {
      for (const price of [19.999, 0.001, 1e-7, 0, -5, 1_000_000_000.01, 1e21, '19.99', null]) {
        const res = await request(t.http).post('/api/products').set(INTERNAL).send({ name: 'Bad price', price, categoryId });
        expect([price, res.status, res.body.code]).toEqual([price, 400, 'VALIDATION_FAILED']);
        expect(res.body.details[0].path).toBe('body.price');
      }
      const product = await createProduct(t.http, { name: 'Priced', price: 10, categoryId });
      const res = await request(t.http).put(`/api/products/${product.id}`).set(INTERNAL).send({ price: 10.005 }).expect(400);
      expect(res.body.details[0].path).toBe('body.price');
    });
  });

  describe('batch read', () => {
    it('returns the products asked for, in the order asked, leaving unknown ids out and keeping inactive ones', async () => {
      const a = await createProduct(t.http, { name: 'Batch A', price: 1, categoryId });
      const b = await createProduct(t.http, { name: 'Batch B', price: 2, categoryId, isActive: false });
      const ids = [b.id, randomUUID(), a.id, b.id.toUpperCase()].join(',');
      const res = await request(t.http).get('/api/products/batch').query({ ids }).expect(200);
      expect(res.body.data.products.map((p: { id: string }) => p.id)).toEqual([b.id, a.id]);
      expect(res.body.data.products[0].isActive).toBe(false);
    });

    it('refuses no ids, a bad id, or more than 100 ids with 400', async () => {
      await request(t.http).get('/api/products/batch').expect(400);
      await request(t.http).get('/api/products/batch').query({ ids: '' }).expect(400);
      const bad = await request(t.http)
        .get('/api/products/batch')
        .query({ ids: `${randomUUID()},nope` })
        .expect(400);
      expect(bad.body.code).toBe('VALIDATION_FAILED');
      const many = Array.from({ length: 101 }, () => randomUUID()).join(',');
      await request(t.http).get('/api/products/batch').query({ ids: many }).expect(400);
      const hundred = Array.from({ length: 100 }, () => randomUUID()).join(',');
      const ok = await request(t.http).get('/api/products/batch').query({ ids: hundred }).expect(200);
      expect(ok.body.data.products).toEqual([]);
    });
  });

  describe('PUT /api/products/:id/stock', () => {
    it('moves the stock by a delta, both ways', async () => {
      const product = await createProduct(t.http, { name: 'Stocked', price: 1, categoryId, stock: 5 });
      const up = await request(t.http).put(`/api/products/${product.id}/stock`).set(INTERNAL).send({ quantity: 7 }).expect(200);
      expect(up.body.data.product.stock).toBe(12);
      const down = await request(t.http).put(`/api/products/${product.id}/stock`).set(INTERNAL).send({ quantity: -12 }).expect(200);
      expect(down.body.data.product.stock).toBe(0);
    });

    it('refuses to go below zero with 409 INSUFFICIENT_STOCK naming the product, and changes nothing', async () => {
      const product = await createProduct(t.http, { name: 'Scarce Widget', price: 1, categoryId, stock: 2 });
      const res = await request(t.http).put(`/api/products/${product.id}/stock`).set(INTERNAL).send({ quantity: -3 }).expect(409);
      expect(res.body.code).toBe('INSUFFICIENT_STOCK');
      expect(res.body.error).toContain('Scarce Widget');
      expect(res.body.details[0]).toMatchObject({ productId: product.id, requested: 3, available: 2 });
      expect(await storedStock(t.dataSource, product.id)).toBe(2);
    });

    it('never oversells under concurrency: 25 parallel -1 on a stock of 10 → exactly 10 succeed', async () => {
      const product = await createProduct(t.http, { name: 'Hot item', price: 1, categoryId, stock: 10 });
      const results = await Promise.all(
        Array.from({ length: 25 }, () => request(t.http).put(`/api/products/${product.id}/stock`).set(INTERNAL).send({ quantity: -1 })),
      );
      const statuses = results.map((r) => r.status);
      expect(statuses.filter((s) => s === 200)).toHaveLength(10);
      expect(statuses.filter((s) => s === 409)).toHaveLength(15);
      expect(await storedStock(t.dataSource, product.id)).toBe(0);
    });

    it('refuses a zero, fractional, missing or non-numeric delta with 400, and a stock past the maximum with 422', async () => {
      const product = await createProduct(t.http, { name: 'Deltas', price: 1, categoryId, stock: 1 });
      for (const body of [{ quantity: 0 }, { quantity: 1.5 }, {}, { quantity: '2' }, { quantity: 1, extra: true }]) {
        const res = await request(t.http).put(`/api/products/${product.id}/stock`).set(INTERNAL).send(body);
        expect([body, res.status]).toEqual([body, 400]);
      }
      const huge = await request(t.http)
        .put(`/api/products/${product.id}/stock`)
        .set(INTERNAL)
        .send({ quantity: 1_000_000_000 })
        .expect(422);
      expect(huge.body.code).toBe('STOCK_LIMIT_EXCEEDED');
      expect(await storedStock(t.dataSource, product.id)).toBe(1);
    });

    it('is internal: without the key it answers 401', async () => {
      const product = await createProduct(t.http, { name: 'Guarded', price: 1, categoryId, stock: 1 });
      const res = await request(t.http).put(`/api/products/${product.id}/stock`).send({ quantity: 1 }).expect(401);
      expect(res.body.code).toBe('INVALID_INTERNAL_KEY');
    });
  });

  it('has CHECK constraints behind the rules: stock never below zero, price positive', async () => {
    const product = await createProduct(t.http, { name: 'Checked', price: 1, categoryId, stock: 1 });
    await expect(t.dataSource.query('UPDATE products SET stock = -1 WHERE id = $1', [product.id])).rejects.toThrow(
      /products_stock_non_negative/,
    );
    await expect(t.dataSource.query('UPDATE products SET price = 0 WHERE id = $1', [product.id])).rejects.toThrow(
      /products_price_positive/,
    );
  });
});
