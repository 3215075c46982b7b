import request from 'supertest';
import type { Express } from 'express';
import { startTestApp, TestApp } from './app.test-helpers';
import type { TestDatabase } from './database.test-helpers';

/**
 * The app over HTTP on a real database, with the other services absent (a port nobody listens
 * on): what it does on its own, and how it answers when its dependencies are down. The flows
 * that need the real User and Product services are in tests/e2e.
 */
describe('Order service app, dependencies down', () => {
  let started: TestApp;
  let db: TestDatabase;
  let app: Express;

  beforeAll(async () => {
    started = await startTestApp();
    ({ db, app } = started);
  });
  afterAll(async () => {
    await started.close();
  });

  it('is alive, and ready but degraded while the services it calls are down', async () => {
    expect((await request(app).get('/health')).body).toMatchObject({ success: true, data: { status: 'ok', service: 'order-service' } });
    const ready = await request(app).get('/health/ready');
    // Its own database answers, so it stays in rotation and can answer 503 naming the service that is down.
    expect(ready.status).toBe(200);
    expect(ready.body.data).toMatchObject({ status: 'ready', degraded: true });
    expect(ready.body.data.checks).toMatchObject({
      postgres: { status: 'up' },
      'user-service': { status: 'down' },
      'product-service': { status: 'down' },
      'notification-service': { status: 'down' },
    });
  });

  it('refuses requests without a bearer token before anything else', async () => {
    for (const [method, path] of [
      ['post', '/api/orders'],
      ['get', '/api/orders'],
      ['get', '/api/orders/not-a-uuid'],
      ['post', '/api/cart/checkout'],
      ['get', '/api/cart'],
    ] as const) {
      const res = await request(app)[method](path).send({});
      expect({ path, status: res.status, code: res.body.code }).toEqual({ path, status: 401, code: 'TOKEN_REQUIRED' });
      expect(res.body).toMatchObject({ success: false, requestId: expect.any(String) });
    }
  });

  it('answers 503 naming the User service when it cannot validate the token, and writes nothing', async () => {
    const res = await request(app)
      .post('/api/orders')
      .set('Authorization', 'Bearer some.jwt.token')
      .set('X-Request-Id', 'req-123')
      .send({ items: [{ productId: '11111111-1111-4111-8111-111111111111', quantity: 1 }] });
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ success: false, code: 'SERVICE_UNAVAILABLE', requestId: 'req-123' });
    expect(res.body.error).toMatch(/User service/);
    expect(res.headers['retry-after']).toBeDefined();
    const [{ count }] = await db.dataSource.query('SELECT count(*)::int AS count FROM orders');
    expect(count).toBe(0);
  });

  it('answers unknown routes and malformed JSON with the error envelope', async () => {
    const missing = await request(app).get('/api/nothing-here');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ success: false, code: 'ROUTE_NOT_FOUND' });
    const malformed = await request(app).post('/api/orders').set('Content-Type', 'application/json').send('{"items": [');
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('MALFORMED_JSON');
  });

  it('documents every route, body, response and the bearer scheme in OpenAPI, and serves Swagger UI', async () => {
    const doc = (await request(app).get('/api/docs.json').expect(200)).body;
    expect(Object.keys(doc.paths).sort()).toEqual(
      [
        '/api/cart',
        '/api/cart/checkout',
        '/api/cart/items',
        '/api/cart/items/{productId}',
        '/api/orders',
        '/api/orders/{id}',
        '/api/orders/{id}/cancel',
        '/api/orders/{id}/status',
        '/health',
        '/health/ready',
        '/metrics',
      ].sort(),
    );
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    const create = doc.paths['/api/orders'].post;
    expect(create.security).toEqual([{ bearerAuth: [] }]);
    expect(create.requestBody.content['application/json'].schema.$ref).toBe('#/components/schemas/CreateOrderRequest');
    expect(create.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ in: 'header', name: 'idempotency-key' })]));
    expect(Object.keys(create.responses)).toEqual(expect.arrayContaining(['200', '201', '400', '401', '404', '409', '422', '503', '504']));
    expect(doc.components.schemas.ErrorEnvelope.required).toEqual(expect.arrayContaining(['success', 'error', 'code']));
    expect(doc.components.schemas.OrderListResponse.properties.data.properties).toHaveProperty('partial');
    expect(doc.components.schemas.CreateOrderRequest.properties.items.maxItems).toBe(db.config.MAX_ORDER_LINES);

    const ui = await request(app).get('/api/docs/').expect(200);
    expect(ui.headers['content-type']).toMatch(/html/);
    expect(ui.text).toMatch(/swagger-ui/i);
  });

  it('exposes Prometheus metrics, with the calls to other services by target and outcome', async () => {
    const res = await request(app).get('/metrics').expect(200);
    expect(res.text).toMatch(/http_requests_total\{[^}]*route="\/api\/docs.json"[^}]*status="200"/);
    expect(res.text).toMatch(/service_client_call_duration_seconds_count\{[^}]*target="user-service"[^}]*outcome="unavailable"/);
  });
});
