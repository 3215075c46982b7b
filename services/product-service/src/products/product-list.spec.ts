import request from 'supertest';
import { createCategory, createProduct, startTestApp, TestApp } from '../app.test-helpers';

/** The list's filters, sorts and pages, on a catalogue whose every product is known. */
describe('GET /api/products', () => {
  let t: TestApp;
  let electronics: string;
  let books: string;

  beforeAll(async () => {
    t = await startTestApp();
    electronics = await createCategory(t.http, 'Electronics');
    books = await createCategory(t.http, 'Books');
    // Created one after the other: createdAt orders them as listed here.
    await createProduct(t.http, {
      name: 'Laptop',
      description: 'High-performance laptop',
      price: 999.99,
      categoryId: electronics,
      stock: 10,
      tags: ['laptop', 'computer'],
    });
    await createProduct(t.http, {
      name: 'mouse',
      description: 'Ergonomic wireless mouse',
      price: 29.99,
      categoryId: electronics,
      stock: 50,
      tags: ['mouse', 'wireless', 'accessory'],
    });
    await createProduct(t.http, {
      name: 'Novel',
      description: 'A 100% gripping story',
      price: 15.5,
      categoryId: books,
      stock: 0,
      tags: ['fiction'],
    });
    await createProduct(t.http, {
      name: 'Cable_USB',
      description: 'Half price: 50% off',
      price: 5,
      categoryId: electronics,
      stock: 3,
      tags: ['accessory'],
    });
    await createProduct(t.http, {
      name: 'Old Laptop',
      description: 'Withdrawn',
      price: 100,
      categoryId: electronics,
      stock: 5,
      tags: ['laptop'],
      isActive: false,
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  const names = async (query: Record<string, string | number>) => {
    const res = await request(t.http).get('/api/products').query(query);
    expect(res.status).toBe(200);
    return res.body.data.products.map((p: { name: string }) => p.name) as string[];
  };
  const sorted = (list: string[]) => [...list].sort();

  it('lists active products, newest first, with pagination', async () => {
    const res = await request(t.http).get('/api/products').expect(200);
    expect(res.body.data.products.map((p: { name: string }) => p.name)).toEqual(['Cable_USB', 'Novel', 'mouse', 'Laptop']);
    expect(res.body.data.pagination).toEqual({ page: 1, limit: 20, total: 4, totalPages: 1 });
  });

  it('includes inactive products only when asked', async () => {
    expect(await names({ includeInactive: 'true' })).toContain('Old Laptop');
    expect(await names({ includeInactive: 'false' })).not.toContain('Old Laptop');
  });

  it('filters by category', async () => {
    expect(await names({ categoryId: books })).toEqual(['Novel']);
    expect(sorted(await names({ categoryId: electronics }))).toEqual(['Cable_USB', 'Laptop', 'mouse']);
  });

  it('searches name and description, ignoring case', async () => {
    expect(await names({ search: 'LAPTOP' })).toEqual(['Laptop']);
    expect(await names({ search: 'ergonomic' })).toEqual(['mouse']);
    expect(await names({ search: 'nothing like this' })).toEqual([]);
  });

  it('treats % and _ in a search as literal characters', async () => {
    expect(sorted(await names({ search: '%' }))).toEqual(['Cable_USB', 'Novel']);
    expect(await names({ search: '50%' })).toEqual(['Cable_USB']);
    expect(await names({ search: '_' })).toEqual(['Cable_USB']);
    expect(await names({ search: 'e_u' })).toEqual(['Cable_USB']);
  });

  it('filters by tags: any of a comma-separated list, ignoring case', async () => {
    expect(sorted(await names({ tags: 'mouse,fiction' }))).toEqual(['Novel', 'mouse']);
    expect(sorted(await names({ tags: 'ACCESSORY' }))).toEqual(['Cable_USB', 'mouse']);
    expect(await names({ tags: 'laptop' })).toEqual(['Laptop']);
  });

  it('filters by price range, bounds included', async () => {
    expect(sorted(await names({ minPrice: 29.99 }))).toEqual(['Laptop', 'mouse']);
    expect(sorted(await names({ maxPrice: 15.5 }))).toEqual(['Cable_USB', 'Novel']);
    expect(sorted(await names({ minPrice: 15.5, maxPrice: 29.99 }))).toEqual(['Novel', 'mouse']);
    // An inverted range is a range with nothing in it, not an error: the document cannot say min <= max.
    expect(await names({ minPrice: 50, maxPrice: 10 })).toEqual([]);
  });

  it('filters by stock', async () => {
    expect(sorted(await names({ inStock: 'true' }))).toEqual(['Cable_USB', 'Laptop', 'mouse']);
    expect(await names({ inStock: 'false' })).toEqual(['Novel']);
  });

  it('combines filters', async () => {
    expect(await names({ categoryId: electronics, tags: 'accessory', maxPrice: 10, inStock: 'true' })).toEqual(['Cable_USB']);
  });

  it('sorts by price, name (ignoring case), stock and creation, both ways', async () => {
    expect(await names({ sort: 'price' })).toEqual(['Cable_USB', 'Novel', 'mouse', 'Laptop']);
    expect(await names({ sort: '-price' })).toEqual(['Laptop', 'mouse', 'Novel', 'Cable_USB']);
    expect(await names({ sort: 'name' })).toEqual(['Cable_USB', 'Laptop', 'mouse', 'Novel']);
    expect(await names({ sort: '-name' })).toEqual(['Novel', 'mouse', 'Laptop', 'Cable_USB']);
    expect(await names({ sort: 'stock' })).toEqual(['Novel', 'Cable_USB', 'Laptop', 'mouse']);
    expect(await names({ sort: '-stock' })).toEqual(['mouse', 'Laptop', 'Cable_USB', 'Novel']);
    expect(await names({ sort: 'createdAt' })).toEqual(['Laptop', 'mouse', 'Novel', 'Cable_USB']);
    expect(await names({ sort: '-createdAt' })).toEqual(['Cable_USB', 'Novel', 'mouse', 'Laptop']);
  });

  it('pages without overlap or gaps, and reports the totals', async () => {
    const page = (n: number) => request(t.http).get('/api/products').query({ sort: 'price', limit: 3, page: n }).expect(200);
    const [first, second, third] = await Promise.all([page(1), page(2), page(3)]);
    expect(first.body.data.products.map((p: { name: string }) => p.name)).toEqual(['Cable_USB', 'Novel', 'mouse']);
    expect(second.body.data.products.map((p: { name: string }) => p.name)).toEqual(['Laptop']);
    expect(third.body.data.products).toEqual([]);
    expect(first.body.data.pagination).toEqual({ page: 1, limit: 3, total: 4, totalPages: 2 });
    expect(third.body.data.pagination).toEqual({ page: 3, limit: 3, total: 4, totalPages: 2 });
  });

  it('caps the page size at 100', async () => {
    const res = await request(t.http).get('/api/products').query({ limit: 500 }).expect(200);
    expect(res.body.data.pagination.limit).toBe(100);
  });

  it('refuses bad filters, sorts and pages with 400, naming the parameter', async () => {
    const cases: Array<Record<string, string>> = [
      { page: '0' },
      { page: '1.5' },
      { page: 'abc' },
      { page: '1e30' },
      { limit: '0' },
      { limit: '-3' },
      { categoryId: 'electronics' },
      { minPrice: 'cheap' },
      { minPrice: '1.234' },
      { maxPrice: '-1' },
      { inStock: 'yes' },
      { includeInactive: '1' },
      { sort: 'password' },
      { sort: 'price; DROP TABLE products' },
      { search: 'x'.repeat(101) },
      { colour: 'red' },
    ];
    for (const query of cases) {
      const res = await request(t.http).get('/api/products').query(query);
      expect([query, res.status, res.body.code]).toEqual([query, 400, 'VALIDATION_FAILED']);
      expect(res.body.details.map((d: { path: string }) => d.path.split('.').pop())).toContain(Object.keys(query)[0]);
    }
  });
});
