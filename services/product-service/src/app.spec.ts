import request from 'supertest';
import { INTERNAL, startTestApp, TestApp } from './app.test-helpers';

describe('product service app', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers liveness and readiness with PostgreSQL checked and the User service reported', async () => {
    await request(t.http).get('/health').expect(200);
    const ready = await request(t.http).get('/health/ready').expect(200);
    expect(ready.body.data.checks.postgres.status).toBe('up');
    expect(ready.body.data.checks['user-service']).toEqual(expect.objectContaining({ status: expect.any(String) }));
  });

  it('applied its migrations: the schema exists, and there is nothing left to run', async () => {
    const tables: Array<{ table_name: string }> = await t.dataSource.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`,
    );
    expect(tables.map((r) => r.table_name)).toEqual(['categories', 'migrations', 'products', 'reservation_items', 'reservations']);
    expect(await t.dataSource.showMigrations()).toBe(false);
  });

  it('keeps the caller’s X-Request-Id and puts it in error bodies', async () => {
    const res = await request(t.http).get('/api/products/not-a-uuid').set('X-Request-Id', 'trace-123').expect(400);
    expect(res.headers['x-request-id']).toBe('trace-123');
    expect(res.body).toMatchObject({ success: false, code: 'INVALID_ID', requestId: 'trace-123' });
  });

  it('answers unknown routes and malformed JSON with the error envelope', async () => {
    const missing = await request(t.http).get('/api/nothing-here').expect(404);
    expect(missing.body).toMatchObject({ success: false, code: 'ROUTE_NOT_FOUND' });
    const malformed = await request(t.http)
      .post('/api/categories')
      .set(INTERNAL)
      .set('Content-Type', 'application/json')
      .send('{"name":')
      .expect(400);
    expect(malformed.body).toMatchObject({ success: false, code: 'MALFORMED_JSON' });
  });

  it('refuses a body larger than the limit with 413', async () => {
    const res = await request(t.http)
      .post('/api/categories')
      .set(INTERNAL)
      .send({ name: 'x', description: 'y'.repeat(200_000) })
      .expect(413);
    expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers a write with a bearer token while the User service is unreachable with 503 naming it (not 500)', async () => {
    const res = await request(t.http)
      .post('/api/categories')
      .set('Authorization', 'Bearer some.jwt.token')
      .send({ name: 'Never' })
      .expect(503);
    expect(res.body.code).toBe('SERVICE_UNAVAILABLE');
    expect(res.body.error).toContain('User service');
  });

  it('serves Prometheus metrics by route template', async () => {
    await request(t.http).get('/api/categories').expect(200);
    const res = await request(t.http).get('/metrics').expect(200);
    expect(res.text).toContain('http_requests_total{method="GET",route="/api/categories",status="200"');
  });

  it('documents every route, both credentials and the envelopes in OpenAPI at /api-json, with the UI at /api', async () => {
    const res = await request(t.http).get('/api-json').expect(200);
    const doc = res.body;
    expect(doc.components.securitySchemes).toMatchObject({
      bearer: { type: 'http', scheme: 'bearer' },
      'internal-key': { type: 'apiKey', in: 'header', name: 'X-Internal-Key' },
    });
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/api/categories',
      '/api/categories/{id}',
      '/api/products',
      '/api/products/batch',
      '/api/products/{id}',
      '/api/products/{id}/stock',
      '/api/reservations',
      '/api/reservations/held',
      '/api/reservations/lookup',
      '/api/reservations/{orderId}',
      '/api/reservations/{orderId}/confirm',
      '/api/reservations/{orderId}/release',
      '/health',
      '/health/ready',
      '/metrics',
    ]);
    const create = doc.paths['/api/products'].post;
    expect(create.security).toEqual(expect.arrayContaining([{ 'internal-key': [] }, { bearer: [] }]));
    expect(create.requestBody.content['application/json'].schema.$ref).toBe('#/components/schemas/CreateProductDto');
    expect(Object.keys(create.responses)).toEqual(expect.arrayContaining(['201', '400', '401', '403', '422']));
    expect(doc.paths['/api/reservations'].post.security).toEqual([{ 'internal-key': [] }]);
    expect(Object.keys(doc.paths['/api/reservations'].post.responses)).toEqual(expect.arrayContaining(['200', '201', '404', '409']));
    const listParams = doc.paths['/api/products'].get.parameters.map((p: { name: string }) => p.name);
    expect(listParams).toEqual(
      expect.arrayContaining([
        'page',
        'limit',
        'categoryId',
        'search',
        'tags',
        'minPrice',
        'maxPrice',
        'inStock',
        'includeInactive',
        'sort',
      ]),
    );
    // Public: it says so (`security: []`), so a client sends no credentials.
    expect(doc.paths['/api/products'].get.security).toEqual([]);
    expect(doc.components.schemas.ProductResponse.properties.price).toMatchObject({ type: 'number', example: 999.99 });
    const ui = await request(t.http).get('/api').expect(200);
    expect(ui.text).toContain('swagger-ui');
  });
});
