import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { createCategory, createProduct, INTERNAL, startTestApp, TestApp } from '../app.test-helpers';

describe('categories', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('creates, reads, lists, updates and deletes a category', async () => {
    const created = await request(t.http)
      .post('/api/categories')
      .set(INTERNAL)
      .send({ name: '  Garden  ', description: 'Outdoor things' })
      .expect(201);
    const category = created.body.data.category;
    expect(created.body).toMatchObject({ success: true, message: 'Category created' });
    expect(category).toMatchObject({ name: 'Garden', description: 'Outdoor things' });
    expect(category.id).toMatch(/^[0-9a-f-]{36}$/);

    const read = await request(t.http).get(`/api/categories/${category.id}`).expect(200);
    expect(read.body.data.category).toEqual(category);

    const list = await request(t.http).get('/api/categories').expect(200);
    expect(list.body.data.categories).toContainEqual(category);

    const updated = await request(t.http).put(`/api/categories/${category.id}`).set(INTERNAL).send({ description: null }).expect(200);
    expect(updated.body.data.category).toMatchObject({ id: category.id, name: 'Garden', description: null });
    expect(Date.parse(updated.body.data.category.updatedAt)).toBeGreaterThanOrEqual(Date.parse(category.updatedAt));

    const deleted = await request(t.http).delete(`/api/categories/${category.id}`).set(INTERNAL).expect(200);
    expect(deleted.body.data.category.id).toBe(category.id);
    await request(t.http).get(`/api/categories/${category.id}`).expect(404);
  });

  it('lists categories by name, ignoring case', async () => {
    await createCategory(t.http, 'zebra toys');
    await createCategory(t.http, 'Apple products');
    await createCategory(t.http, 'mango');
    const res = await request(t.http).get('/api/categories').expect(200);
    const names: string[] = res.body.data.categories.map((c: { name: string }) => c.name);
    const ours = names.filter((n) => ['zebra toys', 'Apple products', 'mango'].includes(n));
    expect(ours).toEqual(['Apple products', 'mango', 'zebra toys']);
  });

  it('refuses a duplicate name, whatever its case, with 409 (on create and on rename)', async () => {
    await createCategory(t.http, 'Books');
    const dup = await request(t.http).post('/api/categories').set(INTERNAL).send({ name: 'BOOKS' }).expect(409);
    expect(dup.body).toMatchObject({ success: false, code: 'CATEGORY_ALREADY_EXISTS' });
    expect(dup.body.error).toContain('BOOKS');

    const other = await createCategory(t.http, 'Magazines');
    const rename = await request(t.http).put(`/api/categories/${other}`).set(INTERNAL).send({ name: 'books' }).expect(409);
    expect(rename.body.code).toBe('CATEGORY_ALREADY_EXISTS');
  });

  it('refuses to delete a category that still has products (409), and deletes it once empty', async () => {
    const categoryId = await createCategory(t.http, 'Kitchen');
    const product = await createProduct(t.http, { name: 'Pan', price: 25, categoryId });
    const refused = await request(t.http).delete(`/api/categories/${categoryId}`).set(INTERNAL).expect(409);
    expect(refused.body.code).toBe('CATEGORY_NOT_EMPTY');
    await request(t.http).get(`/api/categories/${categoryId}`).expect(200);

    await request(t.http).delete(`/api/products/${product.id}`).set(INTERNAL).expect(200);
    await request(t.http).delete(`/api/categories/${categoryId}`).set(INTERNAL).expect(200);
  });

  it('answers 400 for an id that is not a UUID and 404 for an unknown one, on every route', async () => {
    for (const [method, body] of [['get'], ['put', { name: 'x' }], ['delete']] as const) {
      const bad = await request(t.http)[method]('/api/categories/12345').set(INTERNAL).send(body);
      expect(bad.status).toBe(400);
      expect(bad.body.code).toBe('INVALID_ID');
      const unknown = await request(t.http)[method](`/api/categories/${randomUUID()}`).set(INTERNAL).send(body);
      expect(unknown.status).toBe(404);
      expect(unknown.body.code).toBe('CATEGORY_NOT_FOUND');
    }
  });

  it('validates bodies: missing or blank name, too long, null name on update, unknown fields', async () => {
    const cases: Array<[object, string]> = [
      [{}, 'body.name'],
      [{ name: '   ' }, 'body.name'],
      [{ name: 'x'.repeat(101) }, 'body.name'],
      [{ name: 42 }, 'body.name'],
      [{ name: 'Ok', role: 'admin' }, 'body.role'],
    ];
    for (const [body, path] of cases) {
      const res = await request(t.http).post('/api/categories').set(INTERNAL).send(body).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.details.map((d: { path: string }) => d.path)).toContain(path);
    }
    const id = await createCategory(t.http, 'Tools');
    const nulled = await request(t.http).put(`/api/categories/${id}`).set(INTERNAL).send({ name: null }).expect(400);
    expect(nulled.body.details[0].path).toBe('body.name');
  });
});
